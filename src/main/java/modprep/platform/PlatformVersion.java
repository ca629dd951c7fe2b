package modprep.platform;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import modprep.status.PreparationMode;

/** A platform server version such as 11.17.0, ordered numerically. */
public record PlatformVersion(int major, int minor, int patch) implements Comparable<PlatformVersion> {
    private static final Pattern FORMAT = Pattern.compile("\\d{1,4}\\.\\d{1,4}\\.\\d{1,4}");
    private static final Comparator<PlatformVersion> ORDER = Comparator.comparingInt(PlatformVersion::major)
            .thenComparingInt(PlatformVersion::minor).thenComparingInt(PlatformVersion::patch);

    public static final PlatformVersion FIRST_WITH_PREPARATION = new PlatformVersion(11, 12, 0);
    public static final PlatformVersion FIRST_PROGRESSIVE_OPTION = new PlatformVersion(11, 15, 0);
    public static final PlatformVersion FIRST_ALWAYS_PROGRESSIVE = new PlatformVersion(11, 17, 0);
    /** P5: upgrading from this version or earlier shows the "publish all" recommendation. */
    public static final PlatformVersion LAST_BEFORE_NEW_CONFIGURATIONS = new PlatformVersion(11, 10, 0);

    /** Parses "11.17.0"; returns null when the text is not a version number. */
    public static PlatformVersion parseOrNull(String text) {
        if (text == null || !FORMAT.matcher(text.trim()).matches()) {
            return null;
        }
        String[] parts = text.trim().split("\\.");
        return new PlatformVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    /**
     * P4: how an upgrade to this version prepares modules: 11.12.0 to 11.14.1 sequential; 11.15.0 to
     * 11.16.1 progressive where the installation switched it on, else sequential; 11.17.0 on progressive.
     * Empty below 11.12.0, where there is no preparation at all.
     */
    public Optional<PreparationMode> preparationMode(boolean progressiveEnabled) {
        if (isBefore(FIRST_WITH_PREPARATION)) {
            return Optional.empty();
        }
        if (isAtLeast(FIRST_ALWAYS_PROGRESSIVE) || (isAtLeast(FIRST_PROGRESSIVE_OPTION) && progressiveEnabled)) {
            return Optional.of(PreparationMode.PROGRESSIVE);
        }
        return Optional.of(PreparationMode.SEQUENTIAL);
    }

    public boolean isBefore(PlatformVersion other) {
        return compareTo(other) < 0;
    }

    public boolean isAfter(PlatformVersion other) {
        return compareTo(other) > 0;
    }

    public boolean isAtLeast(PlatformVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(PlatformVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
