package modprep.preparation;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import modprep.db.Beats;
import modprep.db.Database;
import modprep.db.SchemaVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's heartbeat, every heartbeat-interval on a thread of its own: it says the process is alive,
 * renews the lease on the run it works on, and reads the schema's version, so that a node finds out when
 * a newer modprep migrated the database under it (nodes upgraded one by one).
 */
final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    /** The run being worked on, and its table. */
    record Holding(RunTable table, long runId) {
    }

    private final Database database;
    private final Leases leases;
    private final WorkerKind kind;
    private final Supplier<Holding> holding;
    private final Consumer<String> onNewerSchema;
    private final Beats beats;
    private volatile long lastBeat;
    /** When the beat in progress began (0: none): one that waits on a busy pool is late, not dead. */
    private volatile long beating;
    private volatile boolean newerSchema;

    /** @param onNewerSchema told once, with the line to say, when the database's schema is newer than this modprep knows */
    Heartbeat(Database database, Leases leases, WorkerKind kind, Supplier<Holding> holding, Consumer<String> onNewerSchema) {
        this.database = database;
        this.leases = leases;
        this.kind = kind;
        this.holding = holding;
        this.onNewerSchema = onNewerSchema;
        this.beats = new Beats("modprep-heartbeat", leases::heartbeatInterval, () -> true, this::beat);
    }

    /** Registers the process (refused if the schema is newer, or a live server holds its node name) and beats from now on. */
    void start() {
        SchemaVersion.newerIn(database.dsl()).ifPresent(v -> {
            throw new modprep.db.DatabaseUnavailable(modprep.db.DatabaseUnavailable.Reason.SCHEMA_NEWER, SchemaVersion.newerMessage(v));
        });
        leases.register(kind);
        lastBeat = System.nanoTime();
        beats.start();
    }

    /**
     * Whether the last beat reached the database within three heartbeat-intervals (at least 6 s), or the
     * beat in progress waits for a connection of a busy pool, within the pool's own wait (S4: busy is not down).
     */
    boolean recent() {
        long now = System.nanoTime();
        long three = 3 * leases.heartbeatInterval().toNanos();
        long started = beating;
        return now - lastBeat < Math.max(three, TimeUnit.SECONDS.toNanos(6))
                || started != 0 && now - started < TimeUnit.MILLISECONDS.toNanos(Database.POOL_WAIT_MILLIS);
    }

    /** Every installation's heartbeat-interval as it is now (a change applies at the next beat), until closed. */
    private void beat() {
        beating = System.nanoTime();
        try {
            leases.heartbeat(kind);
            lastBeat = System.nanoTime();
            if (!newerSchema) {
                var newer = SchemaVersion.newerIn(database.dsl());
                if (newer.isPresent()) {
                    newerSchema = true;
                    onNewerSchema.accept(SchemaVersion.newerMessage(newer.get()));
                }
            }
            var held = holding.get();
            if (held != null) {
                leases.renewUnlessBusy(held.table(), held.runId());
            }
        } catch (RuntimeException e) {
            modprep.db.OutOfMemory.endIfIn(e);
            LOG.debug("heartbeat failed: {}", e.getMessage());
        } finally {
            beating = 0;
        }
    }

    @Override
    public void close() {
        beats.close();
    }
}
