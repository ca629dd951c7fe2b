package modprep.status;

import java.util.Map;
import java.util.Set;

/** A group's status within its run (stored in run_group.status), with the one table of moves it may make. */
public enum GroupStatus implements Worded {
    PENDING("pending", "pending", "text-bg-secondary"),
    RUNNING("running", "in progress", "text-bg-primary"),
    DONE("done", "done", "text-bg-success");

    private static final Map<GroupStatus, Set<GroupStatus>> ALLOWED = Map.of(
            PENDING, Set.of(RUNNING),
            // A group redone after a crash (P12) starts again from running.
            RUNNING, Set.of(RUNNING, DONE),
            DONE, Set.of());

    private final Words words;

    GroupStatus(String code, String label, String badge) {
        this.words = new Words(code, label, badge);
    }

    @Override
    public Words words() {
        return words;
    }

    public boolean canMoveTo(GroupStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public static GroupStatus of(String code) {
        return Coded.of(GroupStatus.class, code);
    }
}
