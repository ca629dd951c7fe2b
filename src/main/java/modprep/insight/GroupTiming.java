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
     * Whether this group, done, started while its run still compiled: before the compiling ended (null: it has not).
     * Such a group may have waited for a compilation and shared the machine with the compiling (I1).
     */
    public boolean startedWhileCompiling(Instant compilingEnded) {
        return compilingEnded == null || !startedAt.isAfter(compilingEnded);
    }
}
