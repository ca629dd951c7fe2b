package modprep.readmodel;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import modprep.db.Database;
import modprep.environment.EnvironmentSnapshot;

/**
 * Every module's status for the current version, as the console shows it, computed once and reused
 * until something it depends on changes. Pages over thousands of modules then filter and page in
 * memory instead of querying per row.
 *
 * <p>Whether anything changed is one cheap statement per request (two while a run is running), the
 * {@link Stamp}: the environment's version and revision, how many compilations there are and the time of
 * the latest, the latest run's row and, while it runs, the state of its group in progress. Every write
 * that changes a status moves one of them: publish, upload, delete and upgrade bump the revision; the
 * worker starts and ends each group (and saves its compilations with its end).
 *
 * <p>The board is exact for its stamp. When only a running run moved on (the same version, revision and
 * run), it is brought up to date incrementally: the compilations saved since, the run rows of the groups
 * started or ended since (and of the modules blocked since), and which modules are current now, worked
 * out again only for the units those touch and their consumers, in order (the same rule as
 * {@link EnvironmentSnapshot#isCurrent}). Anything else reads the environment again (a few hundred
 * milliseconds at 10,000 modules). Boards are immutable once published.
 */
public final class StatusBoard {
    private final Database database;
    private volatile Board board;
    private volatile Memo memo;
    /** Held by the request bringing the board up to date. */
    private final ReentrantLock lock;

    public StatusBoard(Database database) {
        this(database, new ReentrantLock());
    }

    /** With the lock a test holds, as a request bringing the board up to date would. */
    StatusBoard(Database database, ReentrantLock lock) {
        this.database = database;
        this.lock = lock;
    }

    /** Things derived from a stamp alone (the runs report, a finished run's JSON), kept until the stamp changes. */
    private record Memo(Stamp stamp, Memos values) {
    }

    /** The stamp now (see {@link Stamp#read}). */
    public Stamp stamp() {
        return Stamp.read(database.dsl());
    }

    /** The board for the stamp now. */
    public Board current() {
        return current(stamp());
    }

    /**
     * The board for a stamp just read (a page reads one stamp for its banner and its board). While only a
     * run moved on, a request does not wait for another one that is bringing the board up to date: it
     * takes the board as it was a moment ago (the next request gets the new one). Under load that wait
     * was most of a page's time. A change someone made (a publish, an upgrade) is always waited for, so
     * the page after an action shows it, and so is a run's end.
     */
    public Board current(Stamp stamp) {
        return current(stamp, true);
    }

    /**
     * The board for the stamp now, waiting for a request that is bringing it up to date: what the live
     * updates send, which must never take a page back to a moment older than the one it was rendered at.
     */
    public Board latest() {
        return current(stamp(), false);
    }

    private Board current(Stamp stamp, boolean mayLag) {
        var known = board;
        if (known != null && known.stamp().equals(stamp)) {
            return known;
        }
        // A run that ended is waited for: no later moment would bring a page shown a moment early forward.
        if (mayLag && known != null && onlyTheRunMoved(known.stamp(), stamp) && stamp.latestRun() != null && stamp.latestRun().running()) {
            if (!lock.tryLock()) {
                return known;
            }
        } else {
            lock.lock();
        }
        try {
            known = board;
            if (known != null && known.stamp().equals(stamp)) {
                return known;
            }
            // The stamp may be older than the board another request made meanwhile: build for the stamp now
            // rather than going back (and forth again) with a whole reload each way.
            var now = stamp();
            if (known != null && known.stamp().equals(now)) {
                return known;
            }
            Board next = known == null ? null : known.advance(database.dsl(), now);
            if (next == null) {
                next = Board.load(database.dsl(), now);
            }
            board = next;
            return next;
        } finally {
            lock.unlock();
        }
    }

    private static boolean onlyTheRunMoved(Stamp before, Stamp next) {
        return before.version().equals(next.version()) && before.revision() == next.revision()
                && Objects.equals(before.runId(), next.runId());
    }

    /** Something derived from the stamp alone, computed once per stamp. */
    public <T> T memo(Stamp stamp, String key, Supplier<T> compute) {
        var known = memo;
        if (known == null || !known.stamp().equals(stamp)) {
            known = new Memo(stamp, new Memos());
            memo = known;
        }
        return known.values().get(key, compute);
    }

}
