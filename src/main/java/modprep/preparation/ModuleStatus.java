package modprep.preparation;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A module's status within a run, with the one table of moves it may make. */
public enum ModuleStatus {
    PENDING, PREPARING, PREPARED, FAILED, BLOCKED;

    private static final Map<ModuleStatus, Set<ModuleStatus>> ALLOWED = Map.of(
            PENDING, Set.of(PREPARING, BLOCKED),
            // A group redone after a crash finds its modules still preparing.
            PREPARING, Set.of(PREPARING, PREPARED, FAILED, BLOCKED),
            PREPARED, Set.of(),
            FAILED, Set.of(),
            BLOCKED, Set.of());

    public boolean canMoveTo(ModuleStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModuleStatus of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
