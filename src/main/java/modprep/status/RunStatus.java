package modprep.status;

import java.util.Map;
import java.util.Set;

/** A run's status (stored in preparation_run.status), with the one table of moves it may make. */
public enum RunStatus implements Worded {
    RUNNING("running", "in progress", "text-bg-primary"),
    SUCCEEDED("succeeded", "succeeded", "text-bg-success"),
    FAILED("failed", "finished with errors", "text-bg-danger");

    private static final Map<RunStatus, Set<RunStatus>> ALLOWED = Map.of(
            RUNNING, Set.of(SUCCEEDED, FAILED),
            SUCCEEDED, Set.of(),
            FAILED, Set.of());

    private final Words words;

    RunStatus(String code, String label, String badge) {
        this.words = new Words(code, label, badge);
    }

    @Override
    public Words words() {
        return words;
    }

    public boolean canMoveTo(RunStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public static RunStatus of(String code) {
        return Coded.of(RunStatus.class, code);
    }
}
