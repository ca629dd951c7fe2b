package modprep.preparation;

import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_EXCLUSION;
import static modprep.db.schema.Tables.RUN_GROUP;
import static modprep.db.schema.Tables.RUN_MODULE;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import modprep.db.schema.tables.records.PreparationRunRecord;
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
        var counts = counts(List.of(id)).getOrDefault(id, new RunView.Counts(0, 0, 0, 0, 0));
        Integer current = dsl.select(DSL.min(RUN_GROUP.SEQ)).from(RUN_GROUP)
                .where(RUN_GROUP.RUN_ID.eq(id), RUN_GROUP.STATUS.ne("done")).fetchOne(0, Integer.class);
        var groups = withGroups ? groups(id) : List.<RunView.GroupView>of();
        var excluded = withGroups ? dsl.select(RUN_EXCLUSION.MODULE_NAME, RUN_EXCLUSION.REASON).from(RUN_EXCLUSION)
                .where(RUN_EXCLUSION.RUN_ID.eq(id)).orderBy(RUN_EXCLUSION.MODULE_NAME)
                .fetch(r -> new RunView.Exclusion(r.value1(), r.value2())) : List.<RunView.Exclusion>of();
        return view(run, counts, run.getStatus().equals("running") ? current : null, groups, excluded);
    }

    /** Every run, newest first, with its counts (the Upgrades report, U3). */
    public List<RunView> all() {
        var runs = dsl.selectFrom(PREPARATION_RUN).orderBy(PREPARATION_RUN.ID.desc()).fetch();
        var counts = counts(runs.map(PreparationRunRecord::getId));
        return runs.map(r -> view(r, counts.getOrDefault(r.getId(), new RunView.Counts(0, 0, 0, 0, 0)), null, List.of(), List.of()));
    }

    /** How many groups of the run are done: they are done in order. */
    public int groupsDone(long runId) {
        return dsl.fetchCount(RUN_GROUP, RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.STATUS.eq("done"));
    }

    private Map<Long, RunView.Counts> counts(List<Long> ids) {
        var tally = new HashMap<Long, int[]>();
        dsl.select(RUN_MODULE.RUN_ID, RUN_MODULE.STATUS, DSL.count()).from(RUN_MODULE)
                .where(RUN_MODULE.RUN_ID.in(ids)).groupBy(RUN_MODULE.RUN_ID, RUN_MODULE.STATUS)
                .forEach(r -> {
                    int[] t = tally.computeIfAbsent(r.value1(), k -> new int[5]);
                    int index = switch (ModuleStatus.of(r.value2())) {
                        case PREPARED -> 1;
                        case FAILED -> 2;
                        case BLOCKED -> 3;
                        default -> 4;
                    };
                    t[index] += r.value3();
                    t[0] += r.value3();
                });
        var counts = new HashMap<Long, RunView.Counts>();
        tally.forEach((id, t) -> counts.put(id, new RunView.Counts(t[0], t[1], t[2], t[3], t[4])));
        return counts;
    }

    private List<RunView.GroupView> groups(long runId) {
        return groups(runId, 1, Integer.MAX_VALUE);
    }

    /** The groups of a run from one number to another, with their steps and modules. */
    public List<RunView.GroupView> groups(long runId, int fromSeq, int toSeq) {
        var steps = new HashMap<Integer, List<RunView.StepView>>();
        dsl.selectFrom(GROUP_STEP).where(GROUP_STEP.RUN_ID.eq(runId), GROUP_STEP.GROUP_SEQ.between(fromSeq, toSeq))
                .orderBy(GROUP_STEP.GROUP_SEQ, GROUP_STEP.ORDINAL)
                .forEach(s -> steps.computeIfAbsent(s.getGroupSeq(), k -> new ArrayList<>())
                        .add(new RunView.StepView(s.getName(), instant(s.getStartedAt()), instant(s.getFinishedAt()))));
        var modules = new HashMap<Integer, List<RunView.ModuleView>>();
        dsl.selectFrom(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(runId), RUN_MODULE.GROUP_SEQ.between(fromSeq, toSeq))
                .orderBy(RUN_MODULE.GROUP_SEQ, RUN_MODULE.POSITION)
                .forEach(m -> modules.computeIfAbsent(m.getGroupSeq(), k -> new ArrayList<>())
                        .add(new RunView.ModuleView(m.getModuleName(), m.getStatus(), instant(m.getStartedAt()),
                                instant(m.getFinishedAt()), m.getDurationMs(), m.getDiagnostics(), m.getBlockedBy())));
        return dsl.selectFrom(RUN_GROUP).where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.SEQ.between(fromSeq, toSeq))
                .orderBy(RUN_GROUP.SEQ)
                .fetch(g -> new RunView.GroupView(g.getSeq(), g.getStatus(), instant(g.getStartedAt()), instant(g.getFinishedAt()),
                        steps.getOrDefault(g.getSeq(), List.of()), modules.getOrDefault(g.getSeq(), List.of())));
    }

    private static RunView view(PreparationRunRecord r, RunView.Counts counts, Integer current,
                                List<RunView.GroupView> groups, List<RunView.Exclusion> excluded) {
        return new RunView(r.getId(), r.getFromVersion(), r.getToVersion(), r.getMode(), r.getStatus(), r.getTriggerKind(),
                r.getStartedBy(), instant(r.getStartedAt()), instant(r.getFinishedAt()), r.getInternalError(),
                r.getPublishAllRecommended(), r.getGroupCount(), current, counts, groups, excluded);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
