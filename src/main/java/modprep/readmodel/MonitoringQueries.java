package modprep.readmodel;

import static modprep.db.schema.Tables.PREPARATION_RUN;

import java.util.EnumMap;
import java.util.Map;
import modprep.status.RunStatus;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** What GET /metrics reads from the database at each scrape: two small aggregate queries. */
public record MonitoringQueries(DSLContext dsl) {

    /** Every run status with its count of runs (zero included, so a series never vanishes). */
    public Map<RunStatus, Integer> runsByStatus() {
        var counts = new EnumMap<RunStatus, Integer>(RunStatus.class);
        for (var status : RunStatus.values()) {
            counts.put(status, 0);
        }
        dsl.select(PREPARATION_RUN.STATUS, DSL.count()).from(PREPARATION_RUN).groupBy(PREPARATION_RUN.STATUS)
                .forEach(r -> counts.put(r.value1(), r.value2()));
        return counts;
    }

    /**
     * Running runs no live worker holds: no lease, or one that expired (a worker gone, or none started), by
     * the database's clock as the leases are (L1), never the scraped node's.
     */
    public int claimsWaiting() {
        return dsl.fetchCount(PREPARATION_RUN, PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING)
                .and(PREPARATION_RUN.LEASE_OWNER.isNull().or(PREPARATION_RUN.LEASE_EXPIRES_AT.lt(DSL.currentOffsetDateTime()))));
    }
}
