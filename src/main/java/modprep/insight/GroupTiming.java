package modprep.insight;

import java.time.Instant;
import modprep.status.GroupStatus;

/**
 * One group as the estimate sees it: how many modules and source files it holds and, once done, how
 * long it took, from its start to the next group's start (so the claim between two groups counts too),
 * and how much of that was its own work: all but its compile step, where it waits for its compilations (P13).
 */
public record GroupTiming(int seq, GroupStatus status, int modules, int files, Instant startedAt, Long millis, Long ownMillis) {
    public boolean done() {
        return status == GroupStatus.DONE && millis != null;
    }

    /**
     * Whether this group, done, started while its run still compiled: by its run's latest compilation (none: yes).
     * Such a group may have waited for that compilation; one that ended after it but started before would count its
     * wait as what a group costs once nothing is left to compile (the end of the compiling: +2 to +3 times).
     */
    public boolean startedWhileCompiling(Instant lastCompiled) {
        return lastCompiled == null || !startedAt.isAfter(lastCompiled);
    }
}
