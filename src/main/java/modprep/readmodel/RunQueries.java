package modprep.readmodel;

import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_EXCLUSION;
import static modprep.db.schema.Tables.RUN_GROUP;
import static modprep.db.schema.Tables.RUN_MODULE;
import static modprep.db.schema.Tables.RUN_PRIORITY;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import modprep.db.schema.tables.records.PreparationRunRecord;
import modprep.status.GroupStatus;
import modprep.status.ModuleStatus;
import modprep.status.RunStatus;
import org.jooq.Records;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Reads runs for display: a handful of queries per page, never one per row. */
public record RunQueries(DSLContext dsl) {

    /** The latest run, or null when there was none. */
    public RunView latest(boolean withGroups) {
        Long id = dsl.select(DSL.max(PREPARATION_RUN.ID)).from(PREPARATION_RUN).fetchOne(0, Long.class);
        return id == null ? null : run(id, withGroups);
    }

    public RunView run(long id, boolean withGroups) {
        var run = dsl.selectFrom(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(id)).fetchOne();
        if (run == null) {
            throw modprep.ModprepException.notFound("no preparation run #" + id);
        }
        // The group being worked on: only a running run has one, and not between two groups.
        Integer current = run.getStatus() != RunStatus.RUNNING ? null
                : dsl.select(DSL.min(RUN_GROUP.SEQ)).from(RUN_GROUP)
                .where(RUN_GROUP.RUN_ID.eq(id), RUN_GROUP.STATUS.eq(GroupStatus.RUNNING)).fetchOne(0, Integer.class);
        var groups = withGroups ? groups(id) : List.<RunView.GroupView>of();
        var excluded = withGroups ? excluded(id) : List.<RunView.Exclusion>of();
        return view(run, current, groups, excluded);
    }

    /** Whether the run has ended for good ({@link RunView#ended()}), from its row's status columns alone. */
    public boolean ended(long id) {
        var run = dsl.select(PREPARATION_RUN.STATUS, PREPARATION_RUN.INTERNAL_ERROR, PREPARATION_RUN.FINISHED_AT)
                .from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(id)).fetchOne();
        if (run == null) {
            throw modprep.ModprepException.notFound("no preparation run #" + id);
        }
        return RunView.ended(run.value1(), run.value2(), run.value3() != null);
    }

    /** Every run, newest first, with its counts (the Upgrades report, U3), as the stamp shows them: none started since. */
    public List<RunView> all(Stamp stamp) {
        if (stamp.latestRun() == null) {
            return List.of();
        }
        return dsl.selectFrom(PREPARATION_RUN).where(PREPARATION_RUN.ID.le(stamp.latestRun().id())).orderBy(PREPARATION_RUN.ID.desc())
                .fetch(r -> stamp.shown(view(r, null, List.of(), List.of())));
    }

    public List<RunView.Exclusion> excluded(long runId) {
        return dsl.select(RUN_EXCLUSION.MODULE_NAME, RUN_EXCLUSION.REASON).from(RUN_EXCLUSION)
                .where(RUN_EXCLUSION.RUN_ID.eq(runId)).orderBy(RUN_EXCLUSION.MODULE_NAME)
                .fetch(Records.mapping(RunView.Exclusion::new));
    }

    /** I4: what was prioritised in the run, in order: "module Auth" or "application Shop", by whom, moved where. */
    public record Priority(String target, int modules, int firstGroup, int lastGroup, String askedBy, Instant askedAt) {
    }

    public List<Priority> priorities(long runId) {
        return dsl.select(RUN_PRIORITY.MODULE_NAME, RUN_PRIORITY.APPLICATION_NAME, RUN_PRIORITY.MOVED, RUN_PRIORITY.FIRST_GROUP,
                        RUN_PRIORITY.LAST_GROUP, RUN_PRIORITY.ASKED_BY, RUN_PRIORITY.ASKED_AT)
                .from(RUN_PRIORITY).where(RUN_PRIORITY.RUN_ID.eq(runId)).orderBy(RUN_PRIORITY.ID)
                .fetch(r -> new Priority(r.value1() != null ? "module " + r.value1() : "application " + r.value2(), r.value3(), r.value4(),
                        r.value5(), r.value6(), instant(r.value7())));
    }

    /** A page of the run's failed modules with their diagnostics, in group order. */
    public List<RunView.ModuleView> failures(long runId, int offset, int limit) {
        return dsl.selectFrom(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(runId), RUN_MODULE.STATUS.eq(ModuleStatus.FAILED))
                .orderBy(RUN_MODULE.GROUP_SEQ, RUN_MODULE.POSITION).offset(offset).limit(limit)
                .fetch(m -> new RunView.ModuleView(m.getModuleName(), m.getStatus(), instant(m.getStartedAt()),
                        instant(m.getFinishedAt()), m.getDurationMs(), m.getDiagnostics(), m.getBlockedBy()));
    }

    /** Where a module stands among the run's failures (0 for the first), or -1 when it did not fail in the run. */
    public int failureIndex(long runId, String module) {
        var failed = RUN_MODULE.RUN_ID.eq(runId).and(RUN_MODULE.STATUS.eq(ModuleStatus.FAILED));
        var at = dsl.select(RUN_MODULE.GROUP_SEQ, RUN_MODULE.POSITION).from(RUN_MODULE)
                .where(failed, RUN_MODULE.MODULE_NAME.eq(module)).fetchOne();
        return at == null ? -1
                : dsl.fetchCount(RUN_MODULE, failed, DSL.row(RUN_MODULE.GROUP_SEQ, RUN_MODULE.POSITION).lt(at.value1(), at.value2()));
    }

    /** How many groups of the run are done: they are done in order. */
    public int groupsDone(long runId) {
        return dsl.fetchCount(RUN_GROUP, RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.STATUS.eq(GroupStatus.DONE));
    }

    private List<RunView.GroupView> groups(long runId) {
        return groups(runId, 1, Integer.MAX_VALUE);
    }

    /** The groups of a run from one number to another, with their steps and modules, in one statement. */
    public List<RunView.GroupView> groups(long runId, int fromSeq, int toSeq) {
        var steps = DSL.multiset(DSL.select(GROUP_STEP.NAME, instant(GROUP_STEP.STARTED_AT), instant(GROUP_STEP.FINISHED_AT))
                        .from(GROUP_STEP).where(GROUP_STEP.RUN_ID.eq(RUN_GROUP.RUN_ID), GROUP_STEP.GROUP_SEQ.eq(RUN_GROUP.SEQ))
                        .orderBy(GROUP_STEP.ORDINAL))
                .convertFrom(r -> r.map(Records.mapping(RunView.StepView::new)));
        var modules = DSL.multiset(DSL.select(RUN_MODULE.MODULE_NAME, RUN_MODULE.STATUS, instant(RUN_MODULE.STARTED_AT),
                                instant(RUN_MODULE.FINISHED_AT), RUN_MODULE.DURATION_MS, RUN_MODULE.DIAGNOSTICS, RUN_MODULE.BLOCKED_BY)
                        .from(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(RUN_GROUP.RUN_ID), RUN_MODULE.GROUP_SEQ.eq(RUN_GROUP.SEQ))
                        .orderBy(RUN_MODULE.POSITION))
                .convertFrom(r -> r.map(Records.mapping(RunView.ModuleView::new)));
        return dsl.select(RUN_GROUP.SEQ, RUN_GROUP.STATUS, instant(RUN_GROUP.STARTED_AT), instant(RUN_GROUP.FINISHED_AT), steps, modules)
                .from(RUN_GROUP).where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.SEQ.between(fromSeq, toSeq))
                .orderBy(RUN_GROUP.SEQ)
                .fetch(Records.mapping(RunView.GroupView::new));
    }

    /** A time column read as an instant, as the views hold it. */
    private static org.jooq.Field<Instant> instant(org.jooq.Field<OffsetDateTime> time) {
        return time.convertFrom(RunQueries::instant);
    }

    /** A run's row as a view without its groups; {@code current}: its group in progress, if it is running. */
    static RunView view(PreparationRunRecord r, Integer current) {
        return view(r, current, List.of(), List.of());
    }

    private static RunView view(PreparationRunRecord r, Integer current, List<RunView.GroupView> groups,
                                List<RunView.Exclusion> excluded) {
        var counts = new RunView.Counts(r.getTotalCount(), r.getPreparedCount(), r.getFailedCount(), r.getBlockedCount(),
                r.getTotalCount() - r.getPreparedCount() - r.getFailedCount() - r.getBlockedCount());
        return new RunView(r.getId(), r.getFromVersion(), r.getToVersion(), r.getMode(), r.getStatus(), r.getTriggerKind(),
                r.getStartedBy(), instant(r.getStartedAt()), instant(r.getFinishedAt()), r.getInternalError(),
                r.getPublishAllRecommended(), r.getGroupCount(), current, counts, groups, excluded);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
