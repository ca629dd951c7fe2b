package modprep.preparation;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_IN_PROGRESS;

import modprep.ModprepException;
import modprep.status.RunKind;
import org.jooq.DSLContext;

/**
 * D2: the one run in progress, a preparation or a deployment, kept in the database's single
 * run_in_progress row. Taking it while another run holds it fails on the row's primary key, whatever the
 * process; the callers check first, under the environment row's lock, to refuse with the run named.
 */
public record RunSlot(DSLContext tx) {
    private static final int SLOT = 1;

    /** The run in progress, if any. */
    public record Holder(RunKind kind, long runId, String startedBy) {
        /** A refusal that says which run is in progress and where to follow it. */
        public ModprepException refusal(String whatWasAsked) {
            return ModprepException.refused(whatWasAsked + ": " + kind.named(runId) + " (started by " + startedBy + ") is in progress"
                    + " and a preparation and a deployment never run at once; wait for it to end, or follow it on its details page ("
                    + kind.page(runId) + ")");
        }
    }

    public Holder holder() {
        var row = tx.selectFrom(RUN_IN_PROGRESS).where(RUN_IN_PROGRESS.SLOT.eq(SLOT)).fetchOne();
        if (row == null) {
            return null;
        }
        var startedBy = row.getKind() == RunKind.PREPARATION
                ? tx.select(PREPARATION_RUN.STARTED_BY).from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(row.getRunId())).fetchOne(PREPARATION_RUN.STARTED_BY)
                : tx.select(DEPLOYMENT.STARTED_BY).from(DEPLOYMENT).where(DEPLOYMENT.ID.eq(row.getRunId())).fetchOne(DEPLOYMENT.STARTED_BY);
        return new Holder(row.getKind(), row.getRunId(), startedBy);
    }

    /** Whether a run, a preparation or a deployment, is in progress, on any node. */
    public boolean taken() {
        return tx.fetchExists(RUN_IN_PROGRESS, RUN_IN_PROGRESS.SLOT.eq(SLOT));
    }

    /** Refuses, naming the run in progress, if there is one. */
    public void refuseIfTaken(String whatWasAsked) {
        var holder = holder();
        if (holder != null) {
            throw holder.refusal(whatWasAsked);
        }
    }

    /** Takes the slot for a new run; the primary key refuses a second one. */
    public void take(RunKind kind, long runId) {
        tx.insertInto(RUN_IN_PROGRESS).set(RUN_IN_PROGRESS.SLOT, SLOT).set(RUN_IN_PROGRESS.KIND, kind)
                .set(RUN_IN_PROGRESS.RUN_ID, runId).execute();
    }

    /** Frees the slot when the run ends. */
    public void release(RunKind kind, long runId) {
        tx.deleteFrom(RUN_IN_PROGRESS).where(RUN_IN_PROGRESS.KIND.eq(kind), RUN_IN_PROGRESS.RUN_ID.eq(runId)).execute();
    }
}
