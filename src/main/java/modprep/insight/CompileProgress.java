package modprep.insight;

import java.time.Instant;

/**
 * How far the run's compiling has got (I1): the compilations stored since the run started (by the
 * compile-ahead or by the groups themselves), when the first of them were stored and how many were stored
 * then, and when the latest was stored. Groups wait for their compilations, so this is what paces them.
 */
public record CompileProgress(Instant runStartedAt, int compiled, Instant latest, int firstCompiled, Instant first) {
    static CompileProgress none(Instant runStartedAt) {
        return new CompileProgress(runStartedAt, 0, null, 0, null);
    }

    /** Whether compilations were stored more than once, so that their pace shows apart from the compiler's start. */
    boolean paced() {
        return compiled > firstCompiled && first != null && first.isBefore(latest);
    }
}
