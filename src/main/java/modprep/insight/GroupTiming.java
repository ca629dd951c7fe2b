package modprep.insight;

import java.time.Instant;
import modprep.status.GroupStatus;

/**
 * One group as the estimate sees it: how many modules and source files it holds and, once done, how
 * long it took, from its start to the next group's start (so the claim between two groups counts too).
 */
public record GroupTiming(int seq, GroupStatus status, int modules, int files, Instant startedAt, Long millis) {
    public boolean done() {
        return status == GroupStatus.DONE && millis != null;
    }
}
