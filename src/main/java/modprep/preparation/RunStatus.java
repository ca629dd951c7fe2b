package modprep.preparation;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A run's status, with the one table of moves it may make. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED;

    private static final Map<RunStatus, Set<RunStatus>> ALLOWED = Map.of(
            RUNNING, Set.of(SUCCEEDED, FAILED),
            SUCCEEDED, Set.of(),
            FAILED, Set.of());

    public boolean canMoveTo(RunStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
