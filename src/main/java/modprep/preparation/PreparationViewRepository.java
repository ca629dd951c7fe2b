package modprep.preparation;

import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_MODULE;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import modprep.environment.PreparationView;
import modprep.platform.PlatformVersion;
import modprep.status.RunEntry;
import modprep.status.RunStatus;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Records;
import org.jooq.impl.DSL;

/** The preparation's tables as the environment and the console read them: locks (P7) and run entries (P8, U6). */
public final class PreparationViewRepository implements PreparationView {
    /** Above this many modules, a run's rows are read whole rather than by an IN list of names. */
    private static final int NAMES_IN_LIST = 200;

    @Override
    public Map<String, Lock> locksOf(DSLContext tx, Collection<String> modules) {
        return tx.select(MODULE.NAME, MODULE_LOCK.RUN_ID, MODULE_LOCK.GROUP_SEQ, PREPARATION_RUN.GROUP_COUNT,
                        PREPARATION_RUN.MODE, PREPARATION_RUN.STARTED_AT, PREPARATION_RUN.STARTED_BY)
                .from(MODULE_LOCK).join(MODULE).on(MODULE.ID.eq(MODULE_LOCK.MODULE_ID))
                .join(PREPARATION_RUN).on(PREPARATION_RUN.ID.eq(MODULE_LOCK.RUN_ID))
                .where(MODULE.NAME.in(modules))
                .fetchMap(MODULE.NAME, Records.mapping((module, run, group, groups, mode, at, by) -> new Lock(module, run, group, groups, mode, at, by)));
    }

    @Override
    public LatestRun latestRun(DSLContext tx, PlatformVersion version, Collection<String> modules) {
        var run = tx.select(PREPARATION_RUN.ID, PREPARATION_RUN.STATUS, PREPARATION_RUN.GROUP_COUNT).from(PREPARATION_RUN)
                .where(PREPARATION_RUN.TO_VERSION.eq(version.toString())).orderBy(PREPARATION_RUN.ID.desc()).limit(1)
                .fetchOptional(Records.mapping((id, status, groups) -> new LatestRun(id, status == RunStatus.RUNNING, groups, new HashMap<>())))
                .orElse(new LatestRun(null, false, 0, new HashMap<>()));
        if (run.id() == null) {
            return run;
        }
        boolean whole = modules == null || modules.size() > NAMES_IN_LIST;
        var entries = entries(tx, run.id(), run.groupCount(), whole ? DSL.noCondition() : RUN_MODULE.MODULE_NAME.in(modules));
        if (whole && modules != null) {
            entries.keySet().retainAll(modules instanceof Set<String> set ? set : new HashSet<>(modules));
        }
        return new LatestRun(run.id(), run.inProgress(), run.groupCount(), entries);
    }

    /** A run's entries that meet a condition, by module name. */
    public Map<String, RunEntry> entries(DSLContext tx, long runId, int groupCount, Condition condition) {
        return new HashMap<>(tx.select(RUN_MODULE.MODULE_NAME, RUN_MODULE.STATUS, RUN_MODULE.GROUP_SEQ, RUN_MODULE.DIAGNOSTICS,
                        RUN_MODULE.BLOCKED_BY)
                .from(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(runId), condition)
                .fetchMap(RUN_MODULE.MODULE_NAME, Records.mapping((name, status, group, diagnostics, blockedBy) ->
                        new RunEntry(runId, status, group, groupCount, diagnostics, blockedBy))));
    }
}
