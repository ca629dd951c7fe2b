package modprep.preparation;

import static modprep.db.schema.Tables.PREPARATION_RUN;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import modprep.Modprep;
import modprep.status.RunStatus;

/**
 * Drives one run's groups by hand through the engine's own {@link GroupPreparer}, as a worker would, so
 * that a test can stop a group after any of its steps: a lock really held by a group in progress (P7),
 * a group interrupted after its compile (P12). It claims the run's lease like any worker.
 */
public final class GroupDriver {
    /** How far a group goes before its worker "stops": the checks GroupPreparer makes between steps. */
    public enum StopAfter {
        /** Stops once the group's modules are locked (step 1). */
        LOCK(1),
        /** Stops once the group is compiled and its jars stored, before the save (step 3). */
        COMPILE(3),
        /** Goes through every step. */
        NOTHING(Integer.MAX_VALUE);

        public final int checks;

        StopAfter(int checks) {
            this.checks = checks;
        }
    }

    private final Modprep app;
    private final long runId;
    private final Leases leases;
    private final GroupPreparer preparer;
    private final GroupPreparer.RunState state;

    public GroupDriver(Modprep app, long runId) {
        this.app = app;
        this.runId = runId;
        this.leases = new Leases(app.database(), app.clock());
        Long claimed = leases.claim();
        if (claimed == null || claimed != runId) {
            throw new IllegalStateException("could not claim run #" + runId + " (claimed " + claimed + ")");
        }
        this.preparer = new GroupPreparer(app.compilations(), leases, app.clock());
        this.state = new GroupPreparer.RunState(new RunRepository(app.database().dsl()).run(runId));
    }

    /** Prepares group {@code seq} until the given point; returns whether the group went through. */
    public boolean prepare(int seq, StopAfter stop) {
        var checks = new AtomicInteger();
        return preparer.prepare(state, seq, () -> checks.incrementAndGet() >= stop.checks);
    }

    /**
     * Prepares group {@code seq}, calling {@code between} at each of GroupPreparer's checks between
     * steps (1: modules locked; 2: references updated, about to compile; 3: compiled, about to save);
     * the group stops where it returns true.
     */
    public boolean prepare(int seq, java.util.function.IntPredicate between) {
        var checks = new AtomicInteger();
        return preparer.prepare(state, seq, () -> between.test(checks.incrementAndGet()));
    }

    /** Prepares every group still to do, then ends the run as a worker does. */
    public RunStatus finish() {
        var runs = new RunRepository(app.database().dsl());
        for (Integer seq = runs.nextGroup(runId); seq != null; seq = runs.nextGroup(runId)) {
            prepare(seq, StopAfter.NOTHING);
        }
        return app.database().transaction(tx -> {
            leases.renew(tx, runId);
            return new RunRepository(tx).finish(runId, null, java.time.OffsetDateTime.now(app.clock()));
        });
    }

    /**
     * Leaves the run as a process killed with SIGKILL does: its lease names a process of this host that
     * no longer exists, and nothing was released.
     */
    public void dieLikeAKilledProcess() {
        long deadPid;
        try {
            var process = new ProcessBuilder("true").start();
            process.waitFor();
            deadPid = process.pid();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        // What a killed command leaves: its lease, and its heartbeat row saying on which host and pid it ran.
        String host = modprep.db.ProcessOwner.hostName();
        String holder = host + "/cli-" + deadPid;
        var now = org.jooq.impl.DSL.currentOffsetDateTime();
        var w = modprep.db.schema.Tables.WORKER_PROCESS;
        app.database().dsl().insertInto(w).set(w.OWNER, holder).set(w.KIND, WorkerKind.CLI.code()).set(w.HOST, host)
                .set(w.PID, deadPid).set(w.STARTED_AT, now).set(w.HEARTBEAT_AT, now).execute();
        app.database().dsl().update(PREPARATION_RUN)
                .set(PREPARATION_RUN.LEASE_OWNER, holder)
                .where(PREPARATION_RUN.ID.eq(runId)).execute();
    }
}
