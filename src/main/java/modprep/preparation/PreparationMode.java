package modprep.preparation;

import java.util.Locale;
import java.util.Optional;
import modprep.platform.PlatformVersion;

/** P4: how a target version prepares modules. */
public enum PreparationMode {
    /** 11.12.0 to 11.14.1, and up to 11.16.1 without the setting: every module locked for the whole run. */
    SEQUENTIAL,
    /** 11.15.0 to 11.16.1 with the setting on, and 11.17.0 on: small groups, only the group in progress locked. */
    PROGRESSIVE;

    /** The mode for a target version; empty below 11.12.0, where there is no preparation at all. */
    public static Optional<PreparationMode> forTarget(PlatformVersion target, boolean progressiveEnabled) {
        if (target.isBefore(PlatformVersion.FIRST_WITH_PREPARATION)) {
            return Optional.empty();
        }
        if (target.isAtLeast(PlatformVersion.FIRST_ALWAYS_PROGRESSIVE)) {
            return Optional.of(PROGRESSIVE);
        }
        if (target.isAtLeast(PlatformVersion.FIRST_PROGRESSIVE_OPTION) && progressiveEnabled) {
            return Optional.of(PROGRESSIVE);
        }
        return Optional.of(SEQUENTIAL);
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PreparationMode of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
