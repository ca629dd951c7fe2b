package modprep.status;

import java.util.Map;
import java.util.Set;

/** A run's status (stored in preparation_run.status), with the one table of moves it may make. */
public enum RunStatus implements Coded {
    RUNNING("running", "in progress", "text-bg-primary"),
    SUCCEEDED("succeeded", "succeeded", "text-bg-success"),
    FAILED("failed", "finished with errors", "text-bg-danger");

    private static final Map<RunStatus, Set<RunStatus>> ALLOWED = Map.of(
            RUNNING, Set.of(SUCCEEDED, FAILED),
            SUCCEEDED, Set.of(),
            FAILED, Set.of());

    private final String code;
    private final String label;
    private final String badge;

    RunStatus(String code, String label, String badge) {
        this.code = code;
        this.label = label;
        this.badge = badge;
    }

    @Override
    public String code() {
        return code;
    }

    /** The words the console and the CLI use for it. */
    public String label() {
        return label;
    }

    /** Bootstrap's badge class for it. */
    public String badge() {
        return badge;
    }

    public boolean canMoveTo(RunStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public static RunStatus of(String code) {
        return Coded.of(RunStatus.class, code);
    }
}
