package modprep.housekeeping;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How long finished runs, audit events and stored compilations no module uses are kept; null keeps
 * them forever. Installation settings ({@code run-retention}, {@code audit-retention},
 * {@code compilation-retention}) give the values; until they are set, everything is kept.
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

    /**
     * A retention as an operator writes it: {@code forever}, {@code 90d}, {@code 12h}, {@code 30m}, or an
     * ISO-8601 duration ({@code P90D}, {@code PT12H}).
     *
     * @param name what the value is for, named in the error when it is not a duration
     * @return the duration, or null for forever
     */
    public static Duration parse(String name, String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** The same, with an error that does not name the setting (the caller does). */
    public static Duration parse(String value) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (text.equals("forever")) {
            return null;
        }
        var shortForm = SHORT.matcher(text);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMinutes(amount);
            };
        }
        try {
            var duration = Duration.parse(text.toUpperCase(Locale.ROOT));
            if (!duration.isNegative()) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // said below
        }
        throw new IllegalArgumentException("'" + value + "' is not a retention (allowed: forever, a number of days, "
                + "hours or minutes such as 90d, 12h, 30m, or an ISO-8601 duration such as P90D)");
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
