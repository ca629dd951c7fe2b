package modprep.housekeeping;

import static modprep.db.schema.Tables.AUDIT_EVENT;
import static modprep.db.schema.Tables.PLATFORM_UPGRADE;
import static modprep.db.schema.Tables.PREPARATION_RUN;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import modprep.db.Database;
import modprep.status.RunStatus;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what is older than its retention: finished runs (with their groups, steps and modules'
 * outcomes; the latest run stays, it is what the console and {@code status} show), audit events, and
 * stored compilations no module uses any more ({@link UnusedCompilations}). One transaction: all of it
 * or none. What was removed goes to the log.
 */
public final class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    /** Statements name at most this many rows at once. */
    static final int CHUNK = 500;

    private final Database database;
    private final Clock clock;

    public Housekeeping(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** What one pass removed (or, for a dry run, would remove). */
    public record Removed(List<Long> runs, int auditEvents, UnusedCompilations.Removed compilations) {
        public boolean nothing() {
            return runs.isEmpty() && auditEvents == 0 && compilations.nothing();
        }

        /** For the log and the command's output. */
        public String summary() {
            return runs.size() + " finished run(s)" + (runs.isEmpty() ? "" : " " + runs.stream().map(id -> "#" + id).toList())
                    + ", " + auditEvents + " audit event(s), " + compilations.summary();
        }
    }

    /** Removes what is older than the retention says, and logs what went. */
    public Removed removeOlderThan(Retention retention) {
        var removed = database.transaction(tx -> remove(tx, retention));
        if (removed.nothing()) {
            LOG.debug("housekeeping: nothing older than the retention ({})", describe(retention));
        } else {
            LOG.info("housekeeping removed {} (retention: {})", removed.summary(), describe(retention));
        }
        return removed;
    }

    /** What {@link #removeOlderThan} would remove now, found by doing it in a transaction that is rolled back. */
    public Removed wouldRemove(Retention retention) {
        try {
            database.transaction(tx -> {
                throw new DryRun(remove(tx, retention));
            });
            throw new IllegalStateException("unreachable");
        } catch (DryRun dry) {
            return dry.removed;
        }
    }

    private static final class DryRun extends RuntimeException {
        final transient Removed removed;

        DryRun(Removed removed) {
            super(null, null, false, false);
            this.removed = removed;
        }
    }

    public static String describe(Retention retention) {
        return "runs " + Retention.describe(retention.runs()) + ", audit " + Retention.describe(retention.audit())
                + ", compilations " + Retention.describe(retention.compilations());
    }

    private Removed remove(DSLContext tx, Retention retention) {
        var now = OffsetDateTime.now(clock);
        var runs = retention.runs() == null ? List.<Long>of() : removeRuns(tx, now.minus(retention.runs()));
        int audit = retention.audit() == null ? 0
                : tx.deleteFrom(AUDIT_EVENT).where(AUDIT_EVENT.OCCURRED_AT.lt(now.minus(retention.audit()))).execute();
        var compilations = retention.compilations() == null ? UnusedCompilations.Removed.NONE
                : new UnusedCompilations(tx).remove(now.minus(retention.compilations()));
        return new Removed(runs, audit, compilations);
    }

    /** Finished runs that ended before the cutoff, but the latest; their groups, steps and modules' rows go with them. */
    private static List<Long> removeRuns(DSLContext tx, OffsetDateTime cutoff) {
        Long latest = tx.select(DSL.max(PREPARATION_RUN.ID)).from(PREPARATION_RUN).fetchOne(0, Long.class);
        if (latest == null) {
            return List.of();
        }
        var ids = tx.select(PREPARATION_RUN.ID).from(PREPARATION_RUN)
                .where(PREPARATION_RUN.STATUS.ne(RunStatus.RUNNING), PREPARATION_RUN.FINISHED_AT.lt(cutoff),
                        PREPARATION_RUN.ID.lt(latest))
                .orderBy(PREPARATION_RUN.ID).fetch(PREPARATION_RUN.ID);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            var chunk = new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + CHUNK)));
            // The upgrade history stays; it only no longer links to a run that is gone.
            tx.update(PLATFORM_UPGRADE).setNull(PLATFORM_UPGRADE.RUN_ID).where(PLATFORM_UPGRADE.RUN_ID.in(chunk)).execute();
            // run_group, group_step, run_module and run_exclusion go by ON DELETE CASCADE.
            tx.deleteFrom(PREPARATION_RUN).where(PREPARATION_RUN.ID.in(chunk), PREPARATION_RUN.STATUS.ne(RunStatus.RUNNING)).execute();
        }
        return ids;
    }
}
