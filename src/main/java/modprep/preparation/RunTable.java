package modprep.preparation;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.PREPARATION_RUN;

import java.time.OffsetDateTime;
import modprep.status.RunStatus;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;

/**
 * The table of a kind of run, as Leases claims it and as a run ends: preparation runs, and deployments (D1: a
 * deployment is a kind of run, leased and ended the same way). {@code noun} names one run of it in messages.
 */
public record RunTable(String noun, Table<?> table, Field<Long> id, Field<RunStatus> status, Field<String> owner,
                       Field<OffsetDateTime> expiresAt, Field<OffsetDateTime> finishedAt, Field<String> internalError) {

    public static final RunTable PREPARATIONS = new RunTable("run", PREPARATION_RUN, PREPARATION_RUN.ID, PREPARATION_RUN.STATUS,
            PREPARATION_RUN.LEASE_OWNER, PREPARATION_RUN.LEASE_EXPIRES_AT, PREPARATION_RUN.FINISHED_AT, PREPARATION_RUN.INTERNAL_ERROR);
    public static final RunTable DEPLOYMENTS = new RunTable("deployment", DEPLOYMENT, DEPLOYMENT.ID, DEPLOYMENT.STATUS,
            DEPLOYMENT.LEASE_OWNER, DEPLOYMENT.LEASE_EXPIRES_AT, DEPLOYMENT.FINISHED_AT, DEPLOYMENT.INTERNAL_ERROR);

    /** The longest internal error kept (the column's size): a longer one is cut. */
    private static final int MAX_INTERNAL_ERROR = 4000;

    /** Ends a running run with this status (and internal error, or none) and frees its lease; refused when it was not running. */
    public void end(DSLContext dsl, long runId, RunStatus ended, String error, OffsetDateTime now) {
        int updated = dsl.update(table).set(status, ended).set(finishedAt, now)
                .set(internalError, error == null ? null : error.substring(0, Math.min(error.length(), MAX_INTERNAL_ERROR)))
                .set(owner, (String) null).set(expiresAt, (OffsetDateTime) null)
                .where(id.eq(runId), status.eq(RunStatus.RUNNING)).execute();
        if (updated != 1) {
            throw new IllegalStateException(noun + " #" + runId + " was not running");
        }
    }
}
