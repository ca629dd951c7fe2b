package modprep.insight;

import static modprep.db.schema.Tables.COMPILATION;
import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
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
        try (var app = TestEnvironment.newModprep()) {
            long runId = upgradeInGroupsOfOne(app, 6);
            var killed = new GroupDriver(app, runId);
            assertTrue(killed.prepare(1, GroupDriver.StopAfter.NOTHING));
            assertTrue(killed.prepare(2, GroupDriver.StopAfter.NOTHING));
            killed.dieLikeAKilledProcess();

            var dsl = app.database().dsl();
            lieKilledForAnHour(dsl, runId);

            var resumed = new GroupDriver(app, runId);
            assertTrue(resumed.prepare(3, GroupDriver.StopAfter.NOTHING));
            assertTrue(resumed.prepare(4, GroupDriver.StopAfter.NOTHING));
            assertEquals(java.util.List.of(3), resumedGroups(dsl, runId), "the run was resumed at group 3, and only there");

            var timings = new RunTimings(dsl);
            var group2 = timings.groups(runId).get(1);
            var ownTime = dsl.select(DSL.field(RUN_GROUP.FINISHED_AT)).from(RUN_GROUP).where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.SEQ.eq(2)).fetchOne().value1();
            assertEquals(java.time.Duration.between(group2.startedAt(), ownTime.toInstant()).toMillis(), group2.millis(),
                    "group 2, the last before the kill, ends at its own end, not at group 3's start an hour later");
            var progress = timings.compileProgress(runId);
            long compiling = progress.millis(progress.runStartedAt(), progress.latest());
            assertTrue(compiling > 0 && compiling < 60_000, "the compiling took seconds, not the hour: " + compiling + " ms");
            assertEquals(Duration.between(progress.runStartedAt(), progress.latest()).toMillis() - Duration.between(progress.stores().get(1).at(),
                    progress.resumedAt().get(0)).toMillis(), compiling, "all but the time from the last store before the kill to the resume");

            var eta = new Insights(app.database(), null).eta(runId, Instant.now());
            assertTrue(eta.known() && eta.remainingMs() < 60_000, "two groups of one module are left: " + eta.remainingText());
        }
    }

    /** Killed in its first group, after its compile step, and resumed an hour later: the first group is the resumed one. */
    @Test
    void a_run_killed_in_its_first_group_is_resumed_there_and_the_hour_counts_for_no_compiling_I1_P12() throws Exception {
        try (var app = TestEnvironment.newModprep()) {
            long runId = upgradeInGroupsOfOne(app, 4);
            var killed = new GroupDriver(app, runId);
            assertFalse(killed.prepare(1, GroupDriver.StopAfter.COMPILE));
            killed.dieLikeAKilledProcess();
            var dsl = app.database().dsl();
            lieKilledForAnHour(dsl, runId);

            var resumed = new GroupDriver(app, runId);
            assertTrue(resumed.prepare(1, GroupDriver.StopAfter.NOTHING));
            assertTrue(resumed.prepare(2, GroupDriver.StopAfter.NOTHING));
            assertEquals(java.util.List.of(1), resumedGroups(dsl, runId));
            var progress = new RunTimings(dsl).compileProgress(runId);
            long compiling = progress.millis(progress.runStartedAt(), progress.latest());
            assertTrue(compiling > 0 && compiling < 60_000, "the compiling took seconds, not the hour: " + compiling + " ms");
            var eta = new Insights(app.database(), null).eta(runId, Instant.now());
            assertTrue(eta.known() && eta.remainingMs() < 60_000, "two groups of one module are left: " + eta.remainingText());
        }
    }

    /** An environment of {@code modules} independent modules, imported and upgraded in groups of one module: the run's number. */
    private long upgradeInGroupsOfOne(modprep.Modprep app, int modules) throws Exception {
        var env = new TestEnvironment("11.16.1");
        for (int i = 0; i < modules; i++) {
            env.module(String.valueOf((char) ('A' + i)));
        }
        app.importer().importFolder(env.write(dir.resolve("env")), "test");
        TestEnvironment.setGroupSize(app, 1);
        return app.preparations().upgrade("11.17.0", "alice").runId();
    }

    private static java.util.List<Integer> resumedGroups(org.jooq.DSLContext dsl, long runId) {
        return dsl.select(RUN_GROUP.SEQ).from(RUN_GROUP).where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.RESUMED.isTrue())
                .orderBy(RUN_GROUP.SEQ).fetch(RUN_GROUP.SEQ);
    }

    /** What the killed process did moves an hour back: the run lay killed for an hour. */
    private static void lieKilledForAnHour(org.jooq.DSLContext dsl, long runId) {
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
    }
}
