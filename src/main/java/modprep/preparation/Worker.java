package modprep.preparation;

import java.time.Clock;
import java.time.OffsetDateTime;
import modprep.db.Backoff;
import modprep.environment.Compilations;
import modprep.logging.LogFields;
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
    private final GroupPreparer preparer;
    /** P14: this node compiles batches of any node's run. */
    private final BatchWorker batches;
    private final Clock clock;
    private final Object signal = new Object();
    private final Thread thread;
    private final Heartbeat heartbeat;
    private volatile boolean stopping;
    /** The line said when a newer modprep migrated the database under this node; it then works no more. */
    private volatile String newerSchema;
    private volatile Long currentRun;
    private volatile Leases.RunTable currentTable = Leases.PREPARATIONS;
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
        this.clock = clock;
        this.leases = new Leases(compilations.database(), clock, holder);
        this.preparer = new GroupPreparer(compilations, leases, clock);
        this.batches = new BatchWorker(compilations, clock, leases.owner(), Runtime.getRuntime().availableProcessors());
        this.thread = new Thread(this::loop, "modprep-worker");
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
        thread.start();
        return this;
    }

    /** Leaves a new run to a live server for a moment before claiming it (a CLI command beside a server). */
    public void deferToServerFor(long millis) {
        claimNotBefore = System.currentTimeMillis() + millis;
    }

    /** A run was just created here: look at once instead of at the next poll. */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    public boolean isWorkingOn(long runId) {
        Long current = currentRun;
        return current != null && current == runId;
    }

    private void loop() {
        while (!stopping) {
            try {
                Long runId = System.currentTimeMillis() < claimNotBefore ? null : leases.claim();
                backoff.succeeded();
                if (runId == null) {
                    if (!workOnOthers()) {
                        pause(POLL_MILLIS);
                    }
                    continue;
                }
                currentRun = runId;
                try {
                    work(runId);
                } finally {
                    currentRun = null;
                    idle();
                }
            } catch (Leases.LeaseLost e) {
                LOG.info("{}: another worker took the run over", e.getMessage());
            } catch (DataAccessException e) {
                if (!stopping) { // the database unavailable for now: the next attempt goes on where the run's rows say
                    pause(backoff.failed(e));
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
                    kind.work(runId, leases, () -> stopping);
                } finally {
                    currentRun = null;
                    currentTable = Leases.PREPARATIONS;
                    idle();
                }
                return true;
            }
        }
        return false;
    }

    private void work(long runId) {
        // Every line about this run, from this thread, carries its number (the thread is reused: the scope ends).
        try (var run = LogFields.put(LogFields.RUN, runId)) {
            workOn(runId);
        }
    }

    private void workOn(long runId) {
        var state = new GroupPreparer.RunState(new RunRepository(compilations.database().dsl()).run(runId));
        LOG.info("working on preparation run #{} ({} → {}, {})", runId, state.run.from(), state.run.to(), state.run.mode().code());
        state.ahead = CompileAhead.start(compilations, state.run, batches);
        try {
            while (!stopping) {
                Integer seq = new RunRepository(compilations.database().dsl()).nextGroup(runId);
                if (seq == null) {
                    finish(runId, null);
                    return;
                }
                leases.doing(NodeActivity.PREPARING, runId, seq);
                try (var group = LogFields.put(LogFields.GROUP, seq)) {
                    if (!preparer.prepare(state, seq, () -> stopping)) {
                        break;
                    }
                }
            }
            leases.release(runId);
        } catch (Leases.LeaseLost | DataAccessException e) {
            throw e;
        } catch (RuntimeException e) {
            if (modprep.db.Database.connectionLost(e)) { // wrapped: the database was lost, not the run
                throw new DataAccessException("the database was lost during run #" + runId, e);
            }
            // Not a module's failure: the run cannot go on. Say so, apart from module failures (U5).
            LOG.error("preparation run #{} stopped on an internal error", runId, e);
            finish(runId, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            state.ahead.close();
        }
    }

    private void finish(long runId, String internalError) {
        var status = compilations.database().transaction(tx -> {
            leases.renew(tx, runId);
            return new RunRepository(tx).finish(runId, internalError, OffsetDateTime.now(clock));
        });
        LOG.info("preparation run #{} {}", runId, status.code());
    }

    /**
     * Whether this worker works (GET /health): its thread runs, it did not stop for a newer schema, and
     * its last heartbeat reached the database within three beats of the installation's heartbeat-interval.
     */
    public boolean alive() {
        return thread.isAlive() && !stopping && newerSchema == null && heartbeat.recent();
    }

    /** What this process does now is nothing (unless it stopped for a newer schema: that stays shown). */
    private void idle() {
        try {
            leases.doing(newerSchema == null ? NodeActivity.IDLE : NodeActivity.STOPPED, null, null);
        } catch (DataAccessException e) {
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
        stopping = true;
        wake();
    }

    private void pause(long millis) {
        synchronized (signal) {
            try {
                signal.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    /** Stops after the step in progress (the group is redone by whoever works next), with a bounded wait. */
    @Override
    public void close() {
        stopping = true;
        wake();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
