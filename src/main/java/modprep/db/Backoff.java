package modprep.db;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * How a background loop (the worker, the notifications, a terminal following a run) waits while the
 * database is unavailable: half a second, doubling at each failed attempt up to {@link #CAP_MILLIS}, so
 * that an outage costs little and its end is noticed within the cap. The outage is told once when it
 * starts and once when it ends, not at every attempt. Used by one thread.
 */
public final class Backoff {
    static final long FIRST_MILLIS = 500;
    public static final long CAP_MILLIS = 5_000;

    private final String who;
    /** Where the outage's start and its end are told: a log's warning and information, or a terminal. */
    private final Consumer<String> down;
    private final Consumer<String> back;
    private int failures;
    private long since;

    /** @param who what retries, for the log ("the worker") */
    public Backoff(Logger log, String who) {
        this(who, log::warn, log::info);
    }

    /** @param who what retries ("following run #3"); {@code down} and {@code back} tell the outage's start and end */
    public Backoff(String who, Consumer<String> down, Consumer<String> back) {
        this.who = who;
        this.down = down;
        this.back = back;
    }

    /** One more failed attempt: returns how long to wait before the next. */
    public long failed(Throwable failure) {
        OutOfMemory.endIfIn(failure); // H2 tells an out-of-memory as a database error: not an outage to wait out
        if (failures == 0) {
            since = System.nanoTime();
            down.accept(who + ": the database is unavailable (" + oneLine(failure) + "); retrying, at least every "
                    + CAP_MILLIS / 1000 + " s, until it is back");
        }
        failures++;
        return Math.min(CAP_MILLIS, FIRST_MILLIS << Math.min(failures - 1, 16));
    }

    /** An attempt worked: if it ends an outage, says so. */
    public void succeeded() {
        if (failures > 0) {
            back.accept(who + ": the database is back after " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since)
                    + " s (" + failures + " attempts); going on");
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
