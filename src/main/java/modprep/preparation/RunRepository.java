package modprep.preparation;

import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;
import static modprep.db.schema.Tables.RUN_MODULE;
import static modprep.db.schema.Tables.RUN_PRIORITY;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import modprep.platform.PlatformVersion;
import modprep.status.GroupStatus;
import modprep.status.ModuleStatus;
import modprep.status.PreparationMode;
import modprep.status.RunStatus;
import org.jooq.Records;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.impl.DSL;

/** The runs' tables: what a run plans, and every move of its groups, steps, modules and locks. */
public record RunRepository(DSLContext dsl) {

    /** The facts of a run the worker needs. */
    public record Run(long id, PlatformVersion from, PlatformVersion to, PreparationMode mode, RunStatus status, int groupCount) {
    }

    /** A module of a group, as the worker sees it. */
    public record GroupModule(String name, Long moduleId, ModuleStatus status) {
    }

    public Long runningRunId() {
        return dsl.select(PREPARATION_RUN.ID).from(PREPARATION_RUN)
                .where(PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING)).orderBy(PREPARATION_RUN.ID).limit(1)
                .fetchOne(PREPARATION_RUN.ID);
    }

    public Run run(long id) {
        var r = dsl.selectFrom(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(id)).fetchOne();
        if (r == null) {
            throw modprep.ModprepException.notFound("no preparation run #" + id);
        }
        return new Run(r.getId(), PlatformVersion.parseOrNull(r.getFromVersion()), PlatformVersion.parseOrNull(r.getToVersion()),
                r.getMode(), r.getStatus(), r.getGroupCount());
    }

    /** The first group not yet done, or null when every group is. */
    public Integer nextGroup(long runId) {
        return dsl.select(DSL.min(RUN_GROUP.SEQ)).from(RUN_GROUP)
                .where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.STATUS.ne(GroupStatus.DONE)).fetchOne(0, Integer.class);
    }

    public List<GroupModule> groupModules(long runId, int seq) {
        return dsl.select(RUN_MODULE.MODULE_NAME, RUN_MODULE.MODULE_ID, RUN_MODULE.STATUS).from(RUN_MODULE)
                .where(RUN_MODULE.RUN_ID.eq(runId), RUN_MODULE.GROUP_SEQ.eq(seq)).orderBy(RUN_MODULE.POSITION)
                .fetch(Records.mapping(GroupModule::new));
    }

    /**
     * Marks the group in progress and its first step started (a redone group starts its steps over), and
     * whether its worker resumed the run there (I1: the time before it is no group's).
     */
    public void startGroup(long runId, int seq, OffsetDateTime now, boolean resumed) {
        dsl.update(RUN_GROUP).set(RUN_GROUP.STATUS, GroupStatus.RUNNING).set(RUN_GROUP.STARTED_AT, now).set(RUN_GROUP.FINISHED_AT, (OffsetDateTime) null)
                .set(RUN_GROUP.RESUMED, resumed)
                .where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.SEQ.eq(seq)).execute();
        dsl.update(GROUP_STEP)
                .set(GROUP_STEP.STARTED_AT, DSL.when(GROUP_STEP.ORDINAL.eq(GroupStep.LOCK_MODULES.ordinal1()), now)
                        .else_(DSL.inline((OffsetDateTime) null)))
                .set(GROUP_STEP.FINISHED_AT, (OffsetDateTime) null)
                .where(GROUP_STEP.RUN_ID.eq(runId), GROUP_STEP.GROUP_SEQ.eq(seq)).execute();
    }

    /** Whether a group of the run was ever started: a worker's first group then resumes the run (I1). */
    public boolean anyGroupStarted(long runId) {
        return dsl.fetchExists(RUN_GROUP, RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.STARTED_AT.isNotNull());
    }

    public void finishGroup(long runId, int seq, OffsetDateTime now) {
        dsl.update(RUN_GROUP).set(RUN_GROUP.STATUS, GroupStatus.DONE).set(RUN_GROUP.FINISHED_AT, now)
                .where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.SEQ.eq(seq)).execute();
    }

    /** Ends one step of a group and starts the next, in one statement. */
    public void stepToStep(long runId, int seq, GroupStep finished, GroupStep next, OffsetDateTime now) {
        dsl.update(GROUP_STEP)
                .set(GROUP_STEP.FINISHED_AT, DSL.when(GROUP_STEP.ORDINAL.eq(finished.ordinal1()), now).else_(GROUP_STEP.FINISHED_AT))
                .set(GROUP_STEP.STARTED_AT, DSL.when(GROUP_STEP.ORDINAL.eq(next.ordinal1()), now).else_(GROUP_STEP.STARTED_AT))
                .where(GROUP_STEP.RUN_ID.eq(runId), GROUP_STEP.GROUP_SEQ.eq(seq),
                        GROUP_STEP.ORDINAL.in(finished.ordinal1(), next.ordinal1()))
                .execute();
    }

    public void stepStarted(long runId, int seq, GroupStep step, OffsetDateTime now) {
        dsl.update(GROUP_STEP).set(GROUP_STEP.STARTED_AT, now)
                .where(GROUP_STEP.RUN_ID.eq(runId), GROUP_STEP.GROUP_SEQ.eq(seq), GROUP_STEP.ORDINAL.eq(step.ordinal1())).execute();
    }

    public void stepFinished(long runId, int seq, GroupStep step, OffsetDateTime now) {
        dsl.update(GROUP_STEP).set(GROUP_STEP.FINISHED_AT, now)
                .where(GROUP_STEP.RUN_ID.eq(runId), GROUP_STEP.GROUP_SEQ.eq(seq), GROUP_STEP.ORDINAL.eq(step.ordinal1())).execute();
    }

    /** P7: locks the modules of the group in progress (a redone group finds some already locked). */
    public void lock(long runId, int seq, Collection<Long> moduleIds, OffsetDateTime now) {
        dsl.deleteFrom(MODULE_LOCK).where(MODULE_LOCK.RUN_ID.eq(runId), MODULE_LOCK.MODULE_ID.in(moduleIds)).execute();
        var insert = dsl.insertInto(MODULE_LOCK, MODULE_LOCK.MODULE_ID, MODULE_LOCK.RUN_ID, MODULE_LOCK.GROUP_SEQ, MODULE_LOCK.LOCKED_AT);
        for (long id : moduleIds) {
            insert = insert.values(id, runId, seq, now);
        }
        if (!moduleIds.isEmpty()) {
            insert.execute();
        }
    }

    public void unlockGroup(long runId, int seq) {
        dsl.deleteFrom(MODULE_LOCK).where(MODULE_LOCK.RUN_ID.eq(runId), MODULE_LOCK.GROUP_SEQ.eq(seq)).execute();
    }

    public void setStatus(long runId, Collection<String> modules, ModuleStatus from, ModuleStatus to) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("a module cannot go from " + from + " to " + to);
        }
        // (run, module) pairs, not "run = ? and module in (...)": H2 looks the pairs up in the primary key, where
        // it would read every module of the run for the second form, at each group (O(n^2) at 10,000 modules).
        var keys = modules.stream().map(m -> DSL.row(runId, m)).toList();
        dsl.update(RUN_MODULE).set(RUN_MODULE.STATUS, to)
                .where(DSL.row(RUN_MODULE.RUN_ID, RUN_MODULE.MODULE_NAME).in(keys), RUN_MODULE.STATUS.eq(from)).execute();
    }

    /** How one module of a group ended. */
    public record ModuleResult(String module, ModuleStatus status, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                               long durationMs, String diagnostics, String blockedBy) {
    }

    /**
     * Records how the group's modules ended, blocks the modules still waiting in the run that use a
     * failed one (P10), and moves the run's counts by as much, in a few batched statements.
     */
    public void saveGroup(long runId, List<ModuleResult> results, Map<String, String> blockedConsumers, OffsetDateTime now) {
        var updates = new ArrayList<Query>();
        int prepared = 0;
        int failed = 0;
        int blocked = 0;
        for (var r : results) {
            if (!ModuleStatus.PREPARING.canMoveTo(r.status())) {
                throw new IllegalStateException("a module being prepared cannot end " + r.status());
            }
            prepared += r.status() == ModuleStatus.PREPARED ? 1 : 0;
            failed += r.status() == ModuleStatus.FAILED ? 1 : 0;
            blocked += r.status() == ModuleStatus.BLOCKED ? 1 : 0;
            updates.add(dsl.update(RUN_MODULE)
                    .set(RUN_MODULE.STATUS, r.status())
                    .set(RUN_MODULE.STARTED_AT, r.startedAt())
                    .set(RUN_MODULE.FINISHED_AT, r.finishedAt())
                    .set(RUN_MODULE.DURATION_MS, r.durationMs())
                    .set(RUN_MODULE.DIAGNOSTICS, r.diagnostics())
                    .set(RUN_MODULE.BLOCKED_BY, r.blockedBy())
                    .where(RUN_MODULE.RUN_ID.eq(runId), RUN_MODULE.MODULE_NAME.eq(r.module())));
        }
        int groupRows = updates.size();
        blockedConsumers.forEach((module, by) -> updates.add(dsl.update(RUN_MODULE)
                .set(RUN_MODULE.STATUS, ModuleStatus.BLOCKED)
                .set(RUN_MODULE.BLOCKED_BY, by)
                .set(RUN_MODULE.FINISHED_AT, now)
                .where(RUN_MODULE.RUN_ID.eq(runId), RUN_MODULE.MODULE_NAME.eq(module),
                        RUN_MODULE.STATUS.eq(ModuleStatus.PENDING))));
        int[] counts = updates.isEmpty() ? new int[0] : dsl.batch(updates).execute();
        for (int i = groupRows; i < counts.length; i++) {
            blocked += Math.max(0, counts[i]);
        }
        dsl.update(PREPARATION_RUN)
                .set(PREPARATION_RUN.PREPARED_COUNT, PREPARATION_RUN.PREPARED_COUNT.plus(prepared))
                .set(PREPARATION_RUN.FAILED_COUNT, PREPARATION_RUN.FAILED_COUNT.plus(failed))
                .set(PREPARATION_RUN.BLOCKED_COUNT, PREPARATION_RUN.BLOCKED_COUNT.plus(blocked))
                .where(PREPARATION_RUN.ID.eq(runId)).execute();
    }

    public void forget(long runId, String module) {
        dsl.deleteFrom(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(runId), RUN_MODULE.MODULE_NAME.eq(module)).execute();
    }

    /** Brings the run's counts by status up to date (after each group, and when it ends). */
    public void refreshCounts(long runId) {
        var counts = dsl.select(RUN_MODULE.STATUS, DSL.count()).from(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(runId))
                .groupBy(RUN_MODULE.STATUS).fetchMap(RUN_MODULE.STATUS, DSL.count());
        dsl.update(PREPARATION_RUN)
                .set(PREPARATION_RUN.TOTAL_COUNT, counts.values().stream().mapToInt(Integer::intValue).sum())
                .set(PREPARATION_RUN.PREPARED_COUNT, counts.getOrDefault(ModuleStatus.PREPARED, 0))
                .set(PREPARATION_RUN.FAILED_COUNT, counts.getOrDefault(ModuleStatus.FAILED, 0))
                .set(PREPARATION_RUN.BLOCKED_COUNT, counts.getOrDefault(ModuleStatus.BLOCKED, 0))
                .where(PREPARATION_RUN.ID.eq(runId)).execute();
    }

    /** Ends the run: succeeded when every module was prepared; no lock outlives it. */
    public RunStatus finish(long runId, String internalError, OffsetDateTime now) {
        boolean clean = internalError == null && !dsl.fetchExists(RUN_MODULE, RUN_MODULE.RUN_ID.eq(runId),
                RUN_MODULE.STATUS.ne(ModuleStatus.PREPARED));
        var status = clean ? RunStatus.SUCCEEDED : RunStatus.FAILED;
        refreshCounts(runId);
        dsl.deleteFrom(MODULE_LOCK).where(MODULE_LOCK.RUN_ID.eq(runId)).execute();
        new RunSlot(dsl).release(modprep.status.RunKind.PREPARATION, runId);
        RunTable.PREPARATIONS.end(dsl, runId, status, internalError, now);
        RunEvents.ended(dsl, runId, now);
        return status;
    }

    /** How many times the run has been prioritised (I4): each time, the groups not started were planned again. */
    int priorities(long runId) {
        return dsl.fetchCount(RUN_PRIORITY, RUN_PRIORITY.RUN_ID.eq(runId));
    }

    /** Each module's place in the run's order as it is now (prioritising, I4, may plan the groups not started again). */
    java.util.Map<String, Integer> order(long runId) {
        var names = dsl.select(RUN_MODULE.MODULE_NAME).from(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(runId))
                .orderBy(RUN_MODULE.GROUP_SEQ, RUN_MODULE.POSITION).fetch(RUN_MODULE.MODULE_NAME);
        var order = new java.util.HashMap<String, Integer>();
        for (int i = 0; i < names.size(); i++) {
            order.put(names.get(i), i);
        }
        return order;
    }
}
