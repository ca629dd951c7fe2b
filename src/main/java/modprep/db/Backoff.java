package modprep.db;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * How a background loop (the worker, the notifications) waits while the database is unavailable: half a
 * second, doubling at each failed attempt up to {@link #CAP_MILLIS}, so that an outage costs little and its
 * end is noticed within the cap. The outage is logged once when it starts and once when it ends, not at
 * every attempt. Used by one thread.
 */
public final class Backoff {
    static final long FIRST_MILLIS = 500;
    public static final long CAP_MILLIS = 5_000;

    private final Logger log;
    private final String who;
    private int failures;
    private long since;

    /** @param who what retries, for the log ("the worker") */
    public Backoff(Logger log, String who) {
        this.log = log;
        this.who = who;
    }

    /** One more failed attempt: returns how long to wait before the next. */
    public long failed(Throwable failure) {
        if (failures == 0) {
            since = System.nanoTime();
            log.warn("{}: the database is unavailable ({}); retrying, at least every {} s, until it is back", who,
                    oneLine(failure), CAP_MILLIS / 1000);
        }
        failures++;
        return Math.min(CAP_MILLIS, FIRST_MILLIS << Math.min(failures - 1, 16));
    }

    /** An attempt worked: if it ends an outage, says so. */
    public void succeeded() {
        if (failures > 0) {
            log.info("{}: the database is back after {} s ({} attempts); going on", who,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since), failures);
            failures = 0;
        }
    }

    /** Whether the last attempt failed. */
    public boolean failing() {
        return failures > 0;
    }

    /** The driver's words (jOOQ's own message starts with the whole SQL statement). */
    private static String oneLine(Throwable failure) {
        Throwable cause = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException) {
                cause = t;
                break;
            }
        }
        String message = String.valueOf(cause.getMessage());
        return message.strip().lines().findFirst().orElse("");
    }
}
