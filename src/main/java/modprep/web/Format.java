package modprep.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times and durations in human units, for templates ({@code ${fmt.duration(ms)}}). */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** An instant, or an offset date-time, in UTC. */
    public String time(java.time.temporal.TemporalAccessor instant) {
        return instant == null ? "—" : TIME.format(instant);
    }

    public String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    public String duration(Long millis) {
        if (millis == null) {
            return "—";
        }
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + (seconds % 3600) / 60 + " min";
    }

    public String between(Instant start, Instant end) {
        if (start == null) {
            return "—";
        }
        return duration(Duration.between(start, end == null ? Instant.now() : end).toMillis());
    }

    /** A Bootstrap width class (pct-0 … pct-100, in static/css/modprep.css): no inline styles under the CSP. */
    public String pct(int percent) {
        return "pct-" + Math.max(0, Math.min(100, percent));
    }
}
