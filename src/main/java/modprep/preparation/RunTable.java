package modprep.preparation;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.PREPARATION_RUN;

import java.time.OffsetDateTime;
import modprep.status.RunStatus;
import org.jooq.Field;
import org.jooq.Table;

/** The table of a kind of run, as Leases claims it: preparation runs, and deployments (D1: a deployment is a kind of run, leased the same way). */
public record RunTable(Table<?> table, Field<Long> id, Field<RunStatus> status, Field<String> owner, Field<OffsetDateTime> expiresAt) {

    public static final RunTable PREPARATIONS = new RunTable(PREPARATION_RUN, PREPARATION_RUN.ID, PREPARATION_RUN.STATUS,
            PREPARATION_RUN.LEASE_OWNER, PREPARATION_RUN.LEASE_EXPIRES_AT);
    public static final RunTable DEPLOYMENTS = new RunTable(DEPLOYMENT, DEPLOYMENT.ID, DEPLOYMENT.STATUS,
            DEPLOYMENT.LEASE_OWNER, DEPLOYMENT.LEASE_EXPIRES_AT);
}
