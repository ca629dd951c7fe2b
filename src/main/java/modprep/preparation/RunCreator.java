package modprep.preparation;

import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_EXCLUSION;
import static modprep.db.schema.Tables.RUN_GROUP;
import static modprep.db.schema.Tables.RUN_MODULE;
import java.time.OffsetDateTime;
import modprep.platform.PlatformVersion;
import modprep.status.GroupStatus;
import modprep.status.ModuleStatus;
import modprep.status.PreparationMode;
import modprep.status.RunStatus;
import modprep.status.RunTrigger;
import org.jooq.DSLContext;

/** Stores a planned run (P1, P11): its row, its groups and their steps, its modules, what it leaves out, and a sequential run's locks. */
public record RunCreator(DSLContext dsl) {
    /** Stores a planned run: its groups and their steps, its modules, what it leaves out; returns its number. */
    public long create(PlatformVersion from, PlatformVersion to, PreparationMode mode, RunTrigger trigger, boolean publishAllRecommended,
                       Planner.Plan plan, String actor, OffsetDateTime now) {
        long runId = dsl.insertInto(PREPARATION_RUN)
                .set(PREPARATION_RUN.FROM_VERSION, from.toString())
                .set(PREPARATION_RUN.TO_VERSION, to.toString())
                .set(PREPARATION_RUN.MODE, mode)
                .set(PREPARATION_RUN.STATUS, RunStatus.RUNNING)
                .set(PREPARATION_RUN.TRIGGER_KIND, trigger)
                .set(PREPARATION_RUN.STARTED_BY, actor)
                .set(PREPARATION_RUN.STARTED_AT, now)
                .set(PREPARATION_RUN.GROUP_COUNT, plan.groups().size())
                .set(PREPARATION_RUN.TOTAL_COUNT, plan.moduleCount())
                .set(PREPARATION_RUN.PUBLISH_ALL_RECOMMENDED, publishAllRecommended)
                .returning(PREPARATION_RUN.ID).fetchOne().getId();
        new RunSlot(dsl).take(modprep.status.RunKind.PREPARATION, runId);
        var ids = dsl.select(MODULE.NAME, MODULE.ID).from(MODULE).fetchMap(MODULE.NAME, MODULE.ID);
        // Batches with bind values: each statement is parsed once, however many rows (10,000 modules are common).
        var groups = dsl.batch(dsl.insertInto(RUN_GROUP, RUN_GROUP.RUN_ID, RUN_GROUP.SEQ, RUN_GROUP.STATUS).values((Long) null, null, null));
        var steps = dsl.batch(dsl.insertInto(GROUP_STEP, GROUP_STEP.RUN_ID, GROUP_STEP.GROUP_SEQ, GROUP_STEP.ORDINAL, GROUP_STEP.NAME)
                .values((Long) null, null, null, null));
        var modules = dsl.batch(dsl.insertInto(RUN_MODULE, RUN_MODULE.RUN_ID, RUN_MODULE.MODULE_NAME, RUN_MODULE.MODULE_ID,
                RUN_MODULE.GROUP_SEQ, RUN_MODULE.POSITION, RUN_MODULE.STATUS).values((Long) null, null, null, null, null, null));
        for (int g = 0; g < plan.groups().size(); g++) {
            int seq = g + 1;
            groups.bind(runId, seq, GroupStatus.PENDING);
            for (var step : GroupStep.ORDER) {
                steps.bind(runId, seq, step.ordinal1(), step.label());
            }
            var names = plan.groups().get(g);
            for (int p = 0; p < names.size(); p++) {
                modules.bind(runId, names.get(p), ids.get(names.get(p)), seq, p + 1, ModuleStatus.PENDING);
            }
        }
        if (!plan.groups().isEmpty()) {
            groups.execute();
            steps.execute();
            modules.execute();
        }
        if (!plan.excluded().isEmpty()) {
            var excluded = dsl.batch(dsl.insertInto(RUN_EXCLUSION, RUN_EXCLUSION.RUN_ID, RUN_EXCLUSION.MODULE_NAME, RUN_EXCLUSION.REASON)
                    .values((Long) null, null, null));
            plan.excluded().forEach((name, reason) -> excluded.bind(runId, name, reason));
            excluded.execute();
        }
        if (mode == PreparationMode.SEQUENTIAL && !ids.isEmpty()) {
            // Sequential: every module of the environment is locked until the run ends.
            var locks = dsl.batch(dsl.insertInto(MODULE_LOCK, MODULE_LOCK.MODULE_ID, MODULE_LOCK.RUN_ID, MODULE_LOCK.LOCKED_AT)
                    .values((Long) null, null, null));
            ids.values().forEach(id -> locks.bind(id, runId, now));
            locks.execute();
        }
        RunEvents.started(dsl, runId, now);
        return runId;
    }

}
