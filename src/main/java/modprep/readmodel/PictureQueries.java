package modprep.readmodel;

import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;
import static modprep.db.schema.Tables.RUN_MODULE;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import modprep.ModprepException;
import modprep.environment.Names;
import modprep.status.ModuleStatus;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** What the console's pictures read: a module's neighbourhood, a run's timeline, a run's progress over time. */
public record PictureQueries(DSLContext dsl) {

    /** The module's neighbourhood on the board's graph and statuses, with the locks of the modules shown. */
    public Neighbourhood neighbourhood(Board board, String module) {
        if (board.snapshot().module(module) == null) {
            throw ModprepException.notFound("no module named " + Names.abbreviate(module));
        }
        return Neighbourhood.of(board.snapshot().publishedGraph(), module, board.statuses(), names -> new HashSet<>(
                dsl.select(MODULE.NAME).from(MODULE_LOCK).join(MODULE).on(MODULE.ID.eq(MODULE_LOCK.MODULE_ID))
                        .where(MODULE.NAME.in(names)).fetch(MODULE.NAME)));
    }

    /** The run's started groups as bars, with how their modules ended. */
    public Timeline timeline(long runId, Instant now) {
        var run = run(runId);
        var rows = dsl.select(RUN_GROUP.SEQ, RUN_GROUP.STARTED_AT, RUN_GROUP.FINISHED_AT, DSL.count(RUN_MODULE.MODULE_NAME),
                        count(ModuleStatus.PREPARED), count(ModuleStatus.FAILED), count(ModuleStatus.BLOCKED))
                .from(RUN_GROUP).leftJoin(RUN_MODULE).on(RUN_MODULE.RUN_ID.eq(RUN_GROUP.RUN_ID), RUN_MODULE.GROUP_SEQ.eq(RUN_GROUP.SEQ))
                .where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.STARTED_AT.isNotNull())
                .groupBy(RUN_GROUP.SEQ, RUN_GROUP.STARTED_AT, RUN_GROUP.FINISHED_AT)
                .orderBy(RUN_GROUP.STARTED_AT, RUN_GROUP.SEQ)
                .fetch(r -> new Timeline.Bar(r.value1(), r.value1(), r.value2().toInstant(), RunQueries.instant(r.value3()), r.value4(),
                        number(r.value5()), number(r.value6()), number(r.value7())));
        return Timeline.of(runId, run.start(), run.end(), now, run.groups(), rows);
    }

    /**
     * Prepared modules over time, at the stamp's moment: the ends of the groups done in it and what each
     * prepared. A group that ended since is left for the next stamp, so that the picture says what the
     * banner and the counts beside it say (a page shows one moment). {@code expectedEnd} is the ETA hook
     * (null until the run's ETA is known).
     */
    public Progress progress(Stamp stamp, Instant now, Instant expectedEnd) {
        var run = stamp.latestRun();
        var done = RUN_GROUP.FINISHED_AT.isNotNull();
        if (stamp.group() != null) {
            done = done.and(RUN_GROUP.SEQ.lt(stamp.group())); // the stamp's first group not done, and every later one
        }
        var saved = dsl.select(RUN_GROUP.FINISHED_AT, count(ModuleStatus.PREPARED))
                .from(RUN_GROUP).join(RUN_MODULE).on(RUN_MODULE.RUN_ID.eq(RUN_GROUP.RUN_ID), RUN_MODULE.GROUP_SEQ.eq(RUN_GROUP.SEQ))
                .where(RUN_GROUP.RUN_ID.eq(run.id()), done)
                .groupBy(RUN_GROUP.SEQ, RUN_GROUP.FINISHED_AT)
                .orderBy(RUN_GROUP.FINISHED_AT, RUN_GROUP.SEQ)
                .fetch(r -> new Progress.Point(r.value1().toInstant(), number(r.value2())));
        return Progress.of(run.id(), run.counts().total(), run.startedAt(), run.finishedAt() == null ? now : run.finishedAt(), saved, expectedEnd);
    }

    private record RunTimes(Instant start, Instant end, int groups, int total) {
    }

    private RunTimes run(long runId) {
        return dsl.select(PREPARATION_RUN.STARTED_AT, PREPARATION_RUN.FINISHED_AT, PREPARATION_RUN.GROUP_COUNT, PREPARATION_RUN.TOTAL_COUNT)
                .from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(runId))
                .fetchOptional(r -> new RunTimes(r.value1().toInstant(), RunQueries.instant(r.value2()), r.value3(), r.value4()))
                .orElseThrow(() -> ModprepException.notFound("there is no preparation run #" + runId));
    }

    /** How many of the group's modules have this status (portable: a sum of CASE, not FILTER). */
    private static Field<BigDecimal> count(ModuleStatus status) {
        return DSL.sum(DSL.when(RUN_MODULE.STATUS.eq(status), 1).else_(0));
    }

    private static int number(BigDecimal value) {
        return value == null ? 0 : value.intValue();
    }
}
