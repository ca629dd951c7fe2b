package modprep.status;

import java.util.Map;
import java.util.Set;

/** A group's status within its run (stored in run_group.status), with the one table of moves it may make. */
public enum GroupStatus implements Coded {
    PENDING("pending", "pending", "text-bg-secondary"),
    RUNNING("running", "in progress", "text-bg-primary"),
    DONE("done", "done", "text-bg-success");

    private static final Map<GroupStatus, Set<GroupStatus>> ALLOWED = Map.of(
            PENDING, Set.of(RUNNING),
            // A group redone after a crash (P12) starts again from running.
            RUNNING, Set.of(RUNNING, DONE),
            DONE, Set.of());

    private final String code;
    private final String label;
    private final String badge;

    GroupStatus(String code, String label, String badge) {
        this.code = code;
        this.label = label;
        this.badge = badge;
    }

    @Override
    public String code() {
        return code;
    }

    public String label() {
        return label;
    }

    public String badge() {
        return badge;
    }

    public boolean canMoveTo(GroupStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public static GroupStatus of(String code) {
        return Coded.of(GroupStatus.class, code);
    }
}
