package modprep.insight;

import static modprep.db.schema.Tables.COMPILATION;
import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import modprep.preparation.GroupDriver;
import modprep.testing.TestEnvironment;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * I1 after a resume (P12): a run killed and taken up again an hour later. The hour went to no group and
 * to no compiling: the group before the kill counts its own time, the compiling's pace leaves the hour
 * out, and the estimate of what is left stays a matter of seconds, as the run's groups are.
 */
class EtaAfterResumeTest {
    @TempDir
    Path dir;

    @Test
    void the_time_between_a_kill_and_the_resume_counts_neither_for_a_group_nor_for_the_compiling_I1_P12() throws Exception {
        var env = new TestEnvironment("11.16.1").module("A").module("B").module("C").module("D").module("E").module("F");
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            TestEnvironment.setGroupSize(app, 1);
            long runId = app.preparations().upgrade("11.17.0", "alice").runId();
            var killed = new GroupDriver(app, runId);
            assertTrue(killed.prepare(1, GroupDriver.StopAfter.NOTHING));
            assertTrue(killed.prepare(2, GroupDriver.StopAfter.NOTHING));
            killed.dieLikeAKilledProcess();

            // What the killed process did moves an hour back: the run lay killed for an hour.
            var dsl = app.database().dsl();
            var hour = DayToSecond.valueOf(java.time.Duration.ofHours(1));
            var started = dsl.select(PREPARATION_RUN.STARTED_AT).from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(runId)).fetchOne().value1();
            dsl.update(PREPARATION_RUN).set(PREPARATION_RUN.STARTED_AT, PREPARATION_RUN.STARTED_AT.minus(hour)).where(PREPARATION_RUN.ID.eq(runId)).execute();
            dsl.update(RUN_GROUP).set(RUN_GROUP.STARTED_AT, RUN_GROUP.STARTED_AT.minus(hour)).set(RUN_GROUP.FINISHED_AT, RUN_GROUP.FINISHED_AT.minus(hour))
                    .where(RUN_GROUP.RUN_ID.eq(runId)).execute();
            dsl.update(GROUP_STEP).set(GROUP_STEP.STARTED_AT, GROUP_STEP.STARTED_AT.minus(hour)).set(GROUP_STEP.FINISHED_AT, GROUP_STEP.FINISHED_AT.minus(hour))
                    .where(GROUP_STEP.RUN_ID.eq(runId)).execute();
            // The import's compilations, before the run, move back further: they stay before it.
            dsl.update(COMPILATION).set(COMPILATION.COMPILED_AT, COMPILATION.COMPILED_AT.minus(hour).minus(hour)).where(COMPILATION.COMPILED_AT.lt(started)).execute();
            dsl.update(COMPILATION).set(COMPILATION.COMPILED_AT, COMPILATION.COMPILED_AT.minus(hour)).where(COMPILATION.COMPILED_AT.ge(started)).execute();

            var resumed = new GroupDriver(app, runId);
            assertTrue(resumed.prepare(3, GroupDriver.StopAfter.NOTHING));
            assertTrue(resumed.prepare(4, GroupDriver.StopAfter.NOTHING));
            assertEquals(java.util.List.of(1, 3), dsl.select(RUN_GROUP.SEQ).from(RUN_GROUP)
                    .where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.FIRST_OF_CLAIM.isTrue()).orderBy(RUN_GROUP.SEQ).fetch(RUN_GROUP.SEQ),
                    "each worker's first group is marked");

            var timings = new RunTimings(dsl);
            var group2 = timings.groups(runId).get(1);
            var ownTime = dsl.select(DSL.field(RUN_GROUP.FINISHED_AT)).from(RUN_GROUP).where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.SEQ.eq(2)).fetchOne().value1();
            assertEquals(java.time.Duration.between(group2.startedAt(), ownTime.toInstant()).toMillis(), group2.millis(),
                    "group 2, the last before the kill, ends at its own end, not at group 3's start an hour later");
            var progress = timings.compileProgress(runId);
            assertTrue(progress.millis(progress.runStartedAt(), progress.latest()) < 60_000,
                    "the compiling took seconds, not the hour: " + progress.millis(progress.runStartedAt(), progress.latest()) + " ms");

            var eta = new Insights(app.database(), null).eta(runId, Instant.now());
            assertTrue(eta.known() && eta.remainingMs() < 60_000, "two groups of one module are left: " + eta.remainingText());
        }
    }
}
