package modprep.preparation;

import java.time.Clock;
import modprep.db.BackgroundLoop;
import modprep.db.Backoff;
import modprep.environment.Compilations;
import modprep.platform.Jit;
import modprep.status.NodeActivity;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background worker of one process: claims a running run through the database, prepares its
 * groups one after another, and ends it. Everything it knows is in the database, so another process
 * (or this one, restarted) takes over where it stopped (P12).
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final long POLL_MILLIS = 500;

    private final Compilations compilations;
    private final Leases leases;
    /** Works on one claimed preparation run, group after group. */
    private final RunWork runs;
    /** P14: this node compiles batches of any node's run. */
    private final BatchWorker batches;
    private final BackgroundLoop loop;
    private final Heartbeat heartbeat;
    /** The line said when a newer modprep migrated the database under this node; it then works no more. */
    private volatile String newerSchema;
    private volatile Long currentRun;
    private volatile RunTable currentTable = RunTable.PREPARATIONS;
    private final java.util.List<OtherRuns> others = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long claimNotBefore;
    private final Backoff backoff = new Backoff(LOG, "the worker");

    /** A worker not named as a node (tests): it holds its leases as "host/cli-pid". */
    public Worker(Compilations compilations, Clock clock, WorkerKind kind) {
        this(compilations, clock, kind, modprep.db.ProcessOwner.process(null, kind.code()));
    }

    /**
     * @param kind what this process is, as other processes see it
     * @param holder whom its leases are held by: the node's name for {@code serve}, "node/cli-pid" for a command
     */
    public Worker(Compilations compilations, Clock clock, WorkerKind kind, modprep.db.ProcessOwner holder) {
        this.compilations = compilations;
        this.leases = new Leases(compilations.database(), clock, holder);
        this.batches = new BatchWorker(compilations, clock, leases.owner(), Runtime.getRuntime().availableProcessors());
        this.runs = new RunWork(compilations, leases, new GroupPreparer(compilations, leases, clock), batches, clock);
        this.loop = new BackgroundLoop("modprep-worker", false, this::work);
        this.heartbeat = new Heartbeat(compilations.database(), leases, kind, () -> {
            Long runId = currentRun;
            return runId == null ? null : new Heartbeat.Holding(currentTable, runId);
        }, this::stopForNewerSchema);
    }

    public Leases leases() {
        return leases;
    }

    /** Also works on these runs (a deployment) when no preparation run waits; before {@link #start}. */
    public Worker also(OtherRuns runs) {
        others.add(runs);
        return this;
    }

    /** Registers this process (refused if a live server holds its node name) and starts working. */
    public Worker start() {
        heartbeat.start();
        batches.start();
        loop.start();
        return this;
    }

    /** Leaves a new run to a live server for a moment before claiming it (a CLI command beside a server). */
    public void deferToServerFor(long millis) {
        claimNotBefore = System.currentTimeMillis() + millis;
    }

    /** A run was just created here: look at once instead of at the next poll. */
    public void wake() {
        loop.wake();
    }

    public boolean isWorkingOn(long runId) {
        Long current = currentRun;
        return current != null && current == runId;
    }

    /** The loop's body: claims a run and works on it, again and again, until stopped. */
    private void work() {
        while (!loop.stopping()) {
            try {
                Long runId = System.currentTimeMillis() < claimNotBefore ? null : leases.claim();
                backoff.succeeded();
                if (runId == null) {
                    if (!workOnOthers()) {
                        loop.pause(POLL_MILLIS);
                    }
                    continue;
                }
                currentRun = runId;
                try (var jit = Jit.compiling()) {
                    runs.work(runId, loop::stopping);
                } finally {
                    currentRun = null;
                    idle();
                }
            } catch (Leases.LeaseLost e) {
                LOG.info("{}: another worker took the run over", e.getMessage());
            } catch (DataAccessException e) {
                if (!loop.stopping()) { // the database unavailable for now: the next attempt goes on where the run's rows say
                    loop.pause(backoff.failed(e));
                }
            }
        }
        if (newerSchema != null) {
            idle(); // shown as stopped on the Nodes page
        }
    }

    /** Claims and works on one run of another kind, if one waits; returns whether it did. */
    private boolean workOnOthers() {
        for (var kind : others) {
            Long runId = leases.claim(kind.table());
            if (runId != null) {
                currentTable = kind.table();
                currentRun = runId;
                try {
                    leases.doing(NodeActivity.DEPLOYING, runId, null);
                    kind.work(runId, leases, loop::stopping);
                } finally {
                    currentRun = null;
                    currentTable = RunTable.PREPARATIONS;
                    idle();
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this worker works (GET /health): its thread runs, it did not stop for a newer schema, and
     * its last heartbeat reached the database within three beats of the installation's heartbeat-interval.
     */
    public boolean alive() {
        return loop.alive() && newerSchema == null && heartbeat.recent();
    }

    /** What this process does now is nothing (unless it stopped for a newer schema: that stays shown). */
    private void idle() {
        try {
            leases.doing(newerSchema == null ? NodeActivity.IDLE : NodeActivity.STOPPED, null, null);
        } catch (DataAccessException e) {
            modprep.db.OutOfMemory.endIfIn(e);
            LOG.debug("could not record the activity: {}", e.getMessage());
        }
    }

    /**
     * A newer modprep migrated the database while this node ran (nodes upgraded one by one): it says so once,
     * stops working after the step in progress and gives its claims back; /health says schema and worker down.
     */
    private void stopForNewerSchema(String line) {
        newerSchema = line;
        LOG.error(line);
        loop.stop();
    }

    /** Stops after the step in progress (the group is redone by whoever works next), with a bounded wait. */
    @Override
    public void close() {
        loop.close(30_000);
        heartbeat.close();
        batches.close();
        try {
            Long runId = currentRun;
            if (runId != null) {
                leases.release(currentTable, runId);
            }
            leases.unregister();
        } catch (RuntimeException e) {
            LOG.debug("could not unregister: {}", e.getMessage());
        }
    }
}
