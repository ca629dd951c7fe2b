package modprep.db;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database server answers: one verdict shared by every thread of the process, so that during an
 * outage a request is refused at once instead of waiting out the pool's timeout. A request that has waited
 * {@link #SUSPECT_AFTER_MILLIS} for a connection, or a connection error, asks a probe: a connection of its
 * own, outside the pool, with short timeouts. When the probe fails the database is down: the threads waiting
 * for the pool are woken and refused, new requests are refused at once, and a probe every
 * {@link #RECHECK_MILLIS} finds when it answers again. A busy pool is no outage: the probe answers, and the
 * requests go on waiting for a connection as long as the pool's timeout allows.
 */
final class Reachability implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reachability.class);
    /** A connection not handed out within this long: the pool is busy, or the server is gone. */
    static final long SUSPECT_AFTER_MILLIS = 250;
    static final long RECHECK_MILLIS = 500;
    /** A probe's answer holds for this long: many waiting requests make one probe. */
    private static final long VERDICT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** PostgreSQL's "too many connections": the server is busy, not gone. */
    private static final String TOO_MANY_CONNECTIONS = "53300";

    /** A thread waiting for a connection from the pool, and whether this class interrupted it. */
    private static final class Waiter {
        boolean woken;
    }

    private final String where;
    private final Callable<Void> probe;
    private final Runnable onBack;
    private final Map<Thread, Waiter> waiters = new HashMap<>();
    private final ScheduledThreadPoolExecutor checks = new ScheduledThreadPoolExecutor(1, r -> {
        var thread = new Thread(r, "modprep-db-probe");
        thread.setDaemon(true);
        return thread;
    });
    /** When the database went down (System.nanoTime), and why; null while it answers. */
    private volatile Down down;
    private long probedAt;
    private boolean lastAnswered = true;

    private record Down(long since, String why) {
    }

    /** A wait for the pool, ended by close(). */
    interface Wait extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * @param where the database, for the log (no password)
     * @param probe opens a connection of its own, outside the pool, and runs a statement; throws if it cannot
     * @param onBack runs when the database answers again (the pool's connections all died with the outage)
     */
    Reachability(String where, Callable<Void> probe, Runnable onBack) {
        this.where = where;
        this.probe = probe;
        this.onBack = onBack;
        checks.setRemoveOnCancelPolicy(true); // a wait that ended soon leaves nothing queued
    }

    boolean isDown() {
        return down != null;
    }

    /** Refuses at once while the database is known to be down. */
    void refuseIfDown() throws DatabaseDown {
        var now = down;
        if (now != null) {
            throw new DatabaseDown(now.why(), null);
        }
    }

    /** The calling thread starts waiting for the pool: if it waits long, the probe decides whether it waits on. */
    Wait waiting() {
        var thread = Thread.currentThread();
        var waiter = new Waiter();
        synchronized (waiters) {
            waiters.put(thread, waiter);
        }
        var suspect = checks.schedule(() -> {
            boolean stillWaiting;
            synchronized (waiters) {
                stillWaiting = waiters.get(thread) == waiter;
            }
            if (stillWaiting) {
                answers();
            }
        }, SUSPECT_AFTER_MILLIS, TimeUnit.MILLISECONDS);
        return () -> {
            suspect.cancel(false);
            synchronized (waiters) {
                waiters.remove(thread);
                if (waiter.woken) {
                    Thread.interrupted(); // the interrupt was this class's, not the thread's owner's
                }
            }
        };
    }

    /** What a failure to get a connection means: the outage when the database is down (probing if it may be), else itself. */
    SQLException failed(SQLException failure) {
        if (down == null && lostConnection(failure)) {
            answers();
        }
        var now = down;
        return now == null ? failure : new DatabaseDown(now.why(), failure);
    }

    /**
     * Whether the database answers, by the probe (its answer reused for half a second): a failed probe marks it
     * down, and wakes the threads waiting for the pool.
     */
    synchronized boolean answers() {
        if (down != null) {
            return false;
        }
        if (System.nanoTime() - probedAt < VERDICT_NANOS) {
            return lastAnswered;
        }
        String why = probeOnce();
        probedAt = System.nanoTime();
        lastAnswered = why == null;
        if (why != null) {
            down = new Down(System.nanoTime(), why);
            LOG.warn("the database {} is not answering ({}): requests are answered 503 at once until it is back; checking every {} ms",
                    where, why, RECHECK_MILLIS);
            wakeWaiters();
            checks.schedule(this::recheck, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
        return lastAnswered;
    }

    /** While down: probes until the database answers again. */
    private void recheck() {
        String why = probeOnce();
        if (why != null) {
            synchronized (this) {
                down = new Down(down.since(), why);
            }
            checks.schedule(this::recheck, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        onBack.run();
        synchronized (this) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - down.since());
            down = null;
            probedAt = System.nanoTime();
            lastAnswered = true;
            LOG.info("the database {} answers again, after {} s", where, seconds);
        }
    }

    /** Null when the probe answered; else why not, in one line. */
    private String probeOnce() {
        try {
            probe.call();
            return null;
        } catch (SQLException e) {
            if (TOO_MANY_CONNECTIONS.equals(e.getSQLState())) {
                return null; // it answered: busy, not gone
            }
            return oneLine(e);
        } catch (Exception e) {
            return oneLine(e);
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.strip().lines().findFirst().orElse("");
    }

    private void wakeWaiters() {
        synchronized (waiters) {
            waiters.forEach((thread, waiter) -> {
                waiter.woken = true;
                thread.interrupt(); // the pool's wait for a connection ends with an SQLException
            });
        }
    }

    /**
     * Whether a failure says the connection to the server was lost or could not be made: SQLSTATE class 08
     * (connection exception), or the server shutting down (57P01-57P03), anywhere in its causes.
     */
    static boolean lostConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseDown) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
