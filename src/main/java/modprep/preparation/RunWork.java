package modprep.preparation;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.function.BooleanSupplier;
import modprep.environment.Compilations;
import modprep.logging.LogFields;
import modprep.status.NodeActivity;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A preparation run claimed by this process, worked on group after group in the run's order (P6), with
 * its compile-ahead spread over the nodes (P14), then ended; or left where its rows say when the
 * process stops, for whoever claims it next (P12).
 */
final class RunWork {
    private static final Logger LOG = LoggerFactory.getLogger(RunWork.class);

    private final Compilations compilations;
    private final Leases leases;
    private final GroupPreparer preparer;
    private final BatchWorker batches;
    private final Clock clock;

    RunWork(Compilations compilations, Leases leases, GroupPreparer preparer, BatchWorker batches, Clock clock) {
        this.compilations = compilations;
        this.leases = leases;
        this.preparer = preparer;
        this.batches = batches;
        this.clock = clock;
    }

    void work(long runId, BooleanSupplier stopping) {
        // Every line about this run, from this thread, carries its number (the thread is reused: the scope ends).
        try (var run = LogFields.put(LogFields.RUN, runId)) {
            workOn(runId, stopping);
        }
    }

    private void workOn(long runId, BooleanSupplier stopping) {
        var state = new GroupPreparer.RunState(new RunRepository(compilations.database().dsl()).run(runId));
        LOG.info("working on preparation run #{} ({} → {}, {})", runId, state.run.from(), state.run.to(), state.run.mode().code());
        state.ahead = CompileAhead.start(compilations, state.run, batches);
        try {
            while (!stopping.getAsBoolean()) {
                Integer seq = new RunRepository(compilations.database().dsl()).nextGroup(runId);
                if (seq == null) {
                    finish(runId, null);
                    return;
                }
                leases.doing(NodeActivity.PREPARING, runId, seq);
                try (var group = LogFields.put(LogFields.GROUP, seq)) {
                    if (!preparer.prepare(state, seq, stopping)) {
                        break;
                    }
                }
            }
            leases.release(runId);
        } catch (Leases.LeaseLost | DataAccessException e) {
            throw e;
        } catch (RuntimeException e) {
            modprep.db.OutOfMemory.endIfIn(e); // the process's heap, not the run: never marked failed for it
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
}
