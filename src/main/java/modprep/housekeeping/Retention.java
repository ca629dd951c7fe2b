package modprep.housekeeping;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How long finished runs, audit events and stored compilations no module uses are kept; null keeps
 * them forever. The installation settings {@code run-retention}, {@code audit-retention} and
 * {@code compilation-retention} give the values (read and checked by the settings registry).
 */
public record Retention(Duration runs, Duration audit, Duration compilations) {
    public static final Retention KEEP_EVERYTHING = new Retention(null, null, null);
    private static final Pattern SHORT = Pattern.compile("(\\d{1,6})([dhm])");

    public Retention {
        for (Duration d : new Duration[] {runs, audit, compilations}) {
            if (d != null && d.isNegative()) {
                throw new IllegalArgumentException("a retention cannot be negative: " + d);
            }
        }
    }

    /** How a retention reads in the log and in the commands' output. */
    public static String describe(Duration retention) {
        if (retention == null) {
            return "forever";
        }
        return retention.toMinutes() % (24 * 60) == 0 ? retention.toDays() + "d"
                : retention.toMinutes() % 60 == 0 ? retention.toHours() + "h" : retention.toMinutes() + "m";
    }
}
