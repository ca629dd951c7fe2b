package modprep.insight;

import static modprep.db.schema.Tables.COMPILATION;
import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_CODE;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;
import static modprep.db.schema.Tables.RUN_MODULE;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import modprep.preparation.GroupStep;
import modprep.readmodel.NodeQueries;
import modprep.status.GroupStatus;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** I1: what the estimate learns from, read from the run's rows: each group's size and timing (P13). */
public record RunTimings(DSLContext dsl) {
    /** Earlier runs the estimate learns from, newest first. */
    static final int EARLIER_RUNS = 3;

    /** Every group of a run in order, with its modules, their source files and, once done, how long it took. */
    public List<GroupTiming> groups(long runId) {
        var files = DSL.coalesce(DSL.sum(MODULE_CODE.FILE_COUNT), DSL.inline(java.math.BigDecimal.ZERO));
        var compile = GROUP_STEP.as("compile_step");
        var rows = dsl.select(RUN_GROUP.SEQ, RUN_GROUP.STATUS, RUN_GROUP.STARTED_AT, RUN_GROUP.FINISHED_AT,
                        DSL.count(RUN_MODULE.MODULE_NAME), files, compile.STARTED_AT, compile.FINISHED_AT, RUN_GROUP.RESUMED)
                .from(RUN_GROUP)
                .leftJoin(compile).on(compile.RUN_ID.eq(RUN_GROUP.RUN_ID), compile.GROUP_SEQ.eq(RUN_GROUP.SEQ),
                        compile.ORDINAL.eq(GroupStep.COMPILE.ordinal1()))
                .leftJoin(RUN_MODULE).on(RUN_MODULE.RUN_ID.eq(RUN_GROUP.RUN_ID), RUN_MODULE.GROUP_SEQ.eq(RUN_GROUP.SEQ))
                .leftJoin(MODULE).on(MODULE.ID.eq(RUN_MODULE.MODULE_ID))
                .leftJoin(MODULE_CODE).on(MODULE_CODE.ID.eq(MODULE.PUBLISHED_CODE_ID))
                .where(RUN_GROUP.RUN_ID.eq(runId))
                .groupBy(RUN_GROUP.SEQ, RUN_GROUP.STATUS, RUN_GROUP.STARTED_AT, RUN_GROUP.FINISHED_AT, compile.STARTED_AT, compile.FINISHED_AT,
                        RUN_GROUP.RESUMED)
                .orderBy(RUN_GROUP.SEQ)
                .fetch();
        var groups = new ArrayList<GroupTiming>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            var r = rows.get(i);
            Instant started = instant(r.value3());
            // Done: until the next group started (the claim between them is part of the cost), or its own end when
            // there is none, or when the run was resumed at the next: the time between went to no group (a kill, a stop).
            var following = i + 1 < rows.size() ? rows.get(i + 1) : null;
            Instant next = following == null || following.value9() ? null : instant(following.value3());
            Instant end = next != null ? next : instant(r.value4());
            Long millis = r.value2() == GroupStatus.DONE && started != null && end != null
                    ? Math.max(0, Duration.between(started, end).toMillis()) : null;
            Long compiling = r.value7() == null || r.value8() == null ? null : Duration.between(r.value7(), r.value8()).toMillis();
            Long own = millis == null ? null : compiling == null ? millis : Math.max(0, millis - compiling);
            groups.add(new GroupTiming(r.value1(), r.value2(), r.value5(), r.value6().intValue(), started, millis, own));
        }
        return groups;
    }

    /** The first group of a run not done yet, or null when every group is (groups are done in order, P6). */
    public Integer firstNotDone(long runId) {
        return dsl.select(DSL.min(RUN_GROUP.SEQ)).from(RUN_GROUP)
                .where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.STATUS.ne(GroupStatus.DONE)).fetchOne(0, Integer.class);
    }

    /** The runs before this one that the estimate learns from, oldest first. */
    public List<Long> earlierRuns(long runId) {
        var ids = new ArrayList<>(dsl.select(PREPARATION_RUN.ID).from(PREPARATION_RUN)
                .where(PREPARATION_RUN.ID.lt(runId), PREPARATION_RUN.FINISHED_AT.isNotNull())
                .orderBy(PREPARATION_RUN.ID.desc()).limit(EARLIER_RUNS).fetch(PREPARATION_RUN.ID));
        java.util.Collections.reverse(ids);
        return ids;
    }

    /** The compilations stored since the run started (until it ended, if it did), store by store. */
    public CompileProgress compileProgress(long runId) {
        var run = dsl.select(PREPARATION_RUN.STARTED_AT, PREPARATION_RUN.FINISHED_AT, PREPARATION_RUN.COMPILED_AHEAD_AT).from(PREPARATION_RUN)
                .where(PREPARATION_RUN.ID.eq(runId)).fetchOne();
        if (run == null) {
            return null;
        }
        var within = COMPILATION.COMPILED_AT.ge(run.value1());
        if (run.value2() != null) {
            within = within.and(COMPILATION.COMPILED_AT.le(run.value2()));
        }
        var stores = dsl.select(COMPILATION.COMPILED_AT, DSL.count()).from(COMPILATION).where(within)
                .groupBy(COMPILATION.COMPILED_AT).orderBy(COMPILATION.COMPILED_AT)
                .fetch(r -> new CompileProgress.Store(r.value1().toInstant(), r.value2()));
        // Where the run was resumed, in the order of its groups (claims only move on; the clocks of nodes may differ).
        var resumes = dsl.select(RUN_GROUP.STARTED_AT).from(RUN_GROUP)
                .where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.RESUMED.isTrue(), RUN_GROUP.STARTED_AT.isNotNull())
                .orderBy(RUN_GROUP.SEQ).fetch(r -> r.value1().toInstant());
        return new CompileProgress(run.value1().toInstant(), stores, resumes, instant(run.value3()));
    }

    /**
     * What the runs before this one taught: their groups, oldest first, and the compile rate of the latest
     * one that compiled anything (ms per source file), with the nodes that compiled it; before the first
     * run, the import's rate (one node). Runs that compiled nothing (all in the cache) teach no rate: the
     * import's would charge a run that compiles nothing with compiling.
     *
     * @param ended the groups of ended runs, kept by the caller (they never change)
     */
    public EtaModel.Earlier earlier(long runId, java.util.Map<Long, List<GroupTiming>> ended) {
        var during = new ArrayList<GroupTiming>();
        var after = new ArrayList<GroupTiming>();
        Double perFile = null;
        Double compiledOn = null;
        var runs = earlierRuns(runId);
        if (runs.isEmpty()) {
            // A first run: the import compiled every published module in one process, as it does.
            var imported = dsl.select(ENVIRONMENT.IMPORT_COMPILE_MS, ENVIRONMENT.IMPORT_SOURCE_FILES).from(ENVIRONMENT).fetchOne();
            Double pace = imported == null ? null : EtaModel.paceFromImport(imported.value1(), imported.value2());
            return pace == null ? EtaModel.Earlier.NONE : EtaModel.Earlier.imported(pace);
        }
        for (long id : runs) {
            var timings = ended.computeIfAbsent(id, this::groups);
            int modules = timings.stream().mapToInt(GroupTiming::modules).sum();
            int files = timings.stream().mapToInt(GroupTiming::files).sum();
            var progress = compileProgress(id);
            Double rate = progress == null || modules == 0 ? null : EtaModel.perFileMs(progress, (double) files / modules);
            if (rate != null) {
                perFile = rate;
                compiledOn = new NodeQueries(dsl).compiledOn(id);
            }
            // A run that ended before its compile-ahead's end was kept (V25): its latest store, whatever failed.
            var last = progress == null ? null : progress.compiledAheadAt() != null ? progress.compilingEnded(modules) : progress.latest();
            timings.stream().filter(GroupTiming::done).forEach(g ->
                    (g.startedWhileCompiling(last) ? during : after).add(g));
        }
        return new EtaModel.Earlier(perFile, compiledOn, during, after);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
