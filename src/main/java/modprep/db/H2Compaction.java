package modprep.db;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a data folder's database file compact while a server runs. H2 writes each commit at once
 * (WRITE_DELAY=0, P12) and so runs no background writer, which is what would otherwise rewrite the chunks
 * that later commits left mostly unused: they were rewritten only as the database closed, for 200 ms.
 * A server that stayed up kept all of them, about 30 MB a 1,000-module run (bench/filesize.sh). Every
 * minute, when no run is in progress, this compacts the file as a close would, until most of it is in
 * use again. Only the process that holds the file does it (a command beside a server reaches
 * the file through the server); on PostgreSQL the server's own vacuum does this.
 */
public final class H2Compaction implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);
    static final Duration EVERY = Duration.ofMinutes(1);
    /** A pass starts when less of the file than this holds live data (H2's background writer aims at 90). */
    static final int START_BELOW_PERCENT = 60;
    /** And ends once this much is, or after {@link #BUDGET}: the next pass goes on. */
    static final int ENOUGH_PERCENT = 80;
    static final Duration BUDGET = Duration.ofSeconds(3);
    /**
     * A step holds H2's store lock (commits wait) while it rewrites up to 16 MB of chunks, for about this long
     * or to the end of the chunk it is at, then moves up to {@link #MOVE_BYTES}: 0.1-0.7 s a step here.
     */
    static final int STEP_MILLIS = 100;
    static final long MOVE_BYTES = 16 << 20;

    private final Database database;
    private final BooleanSupplier busy;
    private final Duration every;
    // Stopped by a flag, never by an interrupt: an interrupt inside H2's file I/O closes the file for every
    // session (a FileChannel's rule), and H2 then closes the database.
    private final BackgroundLoop loop = new BackgroundLoop("modprep-h2-compaction", true, this::loop);

    private H2Compaction(Database database, BooleanSupplier busy, Duration every) {
        this.database = database;
        this.busy = busy;
        this.every = every;
    }

    /** The compaction of a data folder's database; none on PostgreSQL. {@code busy}: no pass while it says so. */
    public static Optional<H2Compaction> of(Database database, BooleanSupplier busy) {
        return of(database, busy, EVERY);
    }

    static Optional<H2Compaction> of(Database database, BooleanSupplier busy, Duration every) {
        return Database.inDataFolder(database.dsl()) ? Optional.of(new H2Compaction(database, busy, every)) : Optional.empty();
    }

    public H2Compaction start() {
        loop.start();
        return this;
    }

    private void loop() {
        while (true) {
            loop.pause(every.toMillis());
            if (loop.stopping()) {
                return;
            }
            scheduledPass();
        }
    }

    /**
     * The file's size, how much of it its chunks take, and how much of those is live: what later commits left
     * unused is in chunks still written (rewritten by a pass) and between chunks (a pass moves them together).
     */
    record FileState(long bytes, int chunksPercent, int liveInChunksPercent) {
        int inUsePercent() {
            return chunksPercent * liveInChunksPercent / 100;
        }
    }

    /** What a pass did: nothing (empty), or the file before and after. */
    record Pass(FileState before, FileState after, long millis) {
    }

    private void scheduledPass() {
        try {
            pass().filter(p -> !p.after().equals(p.before())).ifPresent(p -> LOG.info("compacted the database file: {} MB -> {} MB in {} ms ({} % of it was in use, now {} %)",
                    p.before().bytes() >> 20, p.after().bytes() >> 20, p.millis(), p.before().inUsePercent(), p.after().inUsePercent()));
        } catch (Exception e) {
            // The next pass tries again: the file is only larger meanwhile.
            LOG.warn("compacting the database file failed, trying again in {} s: {}", every.toSeconds(), e.toString());
        }
    }

    /** Compacts the file if it needs it and no run is in progress. */
    Optional<Pass> pass() throws java.sql.SQLException {
        if (busy.getAsBoolean()) {
            return Optional.empty();
        }
        try (var connection = database.dataSource().getConnection()) {
            var store = storeOf(connection);
            if (store.isEmpty() || state(store.get()).inUsePercent() >= START_BELOW_PERCENT) {
                return Optional.empty();
            }
            var mv = store.get();
            var before = state(mv);
            long started = System.nanoTime();
            long deadline = started + BUDGET.toNanos();
            // compactFile sets the time H2 keeps freed chunks before it writes over them to 0, as a close does. A server
            // goes on writing: it gets H2's own (45 s, for disks that write their buffers late) back after each step.
            int retention = mv.getRetentionTime();
            try {
                for (var last = before; last.inUsePercent() < ENOUGH_PERCENT && System.nanoTime() < deadline
                        && !loop.stopping() && !busy.getAsBoolean(); ) {
                    // As a close does: rewrite the chunks mostly unused into new ones; then, which a close leaves to its
                    // next step, move chunks into the space freed (H2 syncs the file first, whatever the retention time)
                    // and shrink the file.
                    mv.compactFile(STEP_MILLIS);
                    mv.setRetentionTime(retention);
                    ((RandomAccessStore) mv.getFileStore()).compactMoveChunks(100, MOVE_BYTES, mv);
                    var now = state(mv);
                    if (now.equals(last)) {
                        break; // nothing more to gain
                    }
                    last = now;
                }
            } finally {
                mv.setRetentionTime(retention);
            }
            return Optional.of(new Pass(before, state(mv), (System.nanoTime() - started) / 1_000_000));
        }
    }

    /** The file's store, when this process holds it (not a client of another's automatic server). */
    static Optional<MVStore> storeOf(java.sql.Connection connection) throws java.sql.SQLException {
        var session = connection.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local) || local.getDatabase().getStore() == null) {
            return Optional.empty();
        }
        var mv = local.getDatabase().getStore().getMvStore();
        return mv.getFileStore() instanceof RandomAccessStore ? Optional.of(mv) : Optional.empty();
    }

    static FileState state(MVStore mv) {
        var file = mv.getFileStore();
        return new FileState(file.size(), file.getFillRate(), file.getChunksFillRate());
    }

    /** Stops after the step in progress (at most about a second), so that the database closes after it. */
    @Override
    public void close() {
        loop.close(10_000);
    }
}
