package modprep.insight;

import java.time.Instant;

/**
 * How far the run's compiling has got (I1): the compilations stored since the run started (by the
 * compile-ahead or by the groups themselves) and when the latest was stored. Groups wait for their
 * compilations, so this is what paces them.
 */
public record CompileProgress(Instant runStartedAt, int compiled, Instant latest) {
    static CompileProgress none(Instant runStartedAt) {
        return new CompileProgress(runStartedAt, 0, null);
    }
}
