package modprep.preparation;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import modprep.environment.Compilations;
import modprep.logging.LogFields;
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
    private final WorkerKind kind;
    private final Object signal = new Object();
    private final Thread thread;
    private final ScheduledExecutorService heartbeat;
    private volatile long lastBeat;
    private volatile boolean stopping;
    private volatile Long currentRun;
    private volatile Leases.RunTable currentTable = Leases.PREPARATIONS;
    private final java.util.List<OtherRuns> others = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long claimNotBefore;

    /** @param kind what this process is, as other processes see it */
    public Worker(Compilations compilations, Clock clock, WorkerKind kind) {
        this.compilations = compilations;
        this.clock = clock;
        this.kind = kind;
        this.leases = new Leases(compilations.database(), clock);
        this.preparer = new GroupPreparer(compilations, leases, clock);
        this.batches = new BatchWorker(compilations, clock, leases.owner(), Runtime.getRuntime().availableProcessors());
        this.thread = new Thread(this::loop, "modprep-worker");
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "modprep-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    public Leases leases() {
        return leases;
    }

    /** Also works on these runs (a deployment) when no preparation run waits; before {@link #start}. */
    public Worker also(OtherRuns runs) {
        others.add(runs);
        return this;
    }

    public Worker start() {
        leases.heartbeat(kind);
        lastBeat = System.nanoTime();
        scheduleBeat();
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
                }
            } catch (Leases.LeaseLost e) {
                LOG.info("{}: another worker took the run over", e.getMessage());
            } catch (DataAccessException e) {
                // The database is unreachable for now (a server sharing it went away): try again shortly.
                if (!stopping) {
                    LOG.warn("database unavailable, retrying: {}", e.getMessage());
                    pause(2_000);
                }
            }
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
                    kind.work(runId, leases, () -> stopping);
                } finally {
                    currentRun = null;
                    currentTable = Leases.PREPARATIONS;
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

    /** The next heartbeat, after the installation's heartbeat-interval as it is now (a change applies at the next beat). */
    private void scheduleBeat() {
        try {
            heartbeat.schedule(this::beat, leases.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // The worker is closing: no more beats.
        }
    }

    /**
     * Whether this worker works (GET /health): its thread runs and its last heartbeat reached the
     * database within three beats of the installation's heartbeat-interval.
     */
    public boolean alive() {
        long beats = 3 * leases.heartbeatInterval().toNanos();
        return thread.isAlive() && !stopping && System.nanoTime() - lastBeat < Math.max(beats, TimeUnit.SECONDS.toNanos(6));
    }

    private void beat() {
        try {
            leases.heartbeat(kind);
            lastBeat = System.nanoTime();
            Long runId = currentRun;
            if (runId != null) {
                var table = currentTable;
                compilations.database().transaction(tx -> {
                    leases.renew(tx, table, runId);
                    return null;
                });
            }
        } catch (RuntimeException e) {
            LOG.debug("heartbeat failed: {}", e.getMessage());
        } finally {
            if (!stopping) {
                scheduleBeat();
            }
        }
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
        heartbeat.shutdownNow();
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
