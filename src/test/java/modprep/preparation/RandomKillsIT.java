package modprep.preparation;

import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import modprep.status.RunStatus;
import modprep.testing.KillSchedule;
import modprep.testing.ModprepProcess;
import modprep.testing.ProgressProbe;
import modprep.testing.RunProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P12 under repeated faults: a real modprep working on a run is killed with SIGKILL at twelve points of
 * the run's own progress (the start of a group, or one of its steps in progress: update references,
 * compile, save compilations), drawn by a seeded random generator from what is left of the run each
 * time ({@link KillSchedule}), and restarted in the same data folder after each kill. The run must end
 * exactly as an uninterrupted run of the same environment: same statuses, byte-identical jars, no
 * compilation lost or made twice, one run, no lock left, every group's steps recorded once.
 */
class RandomKillsIT {
    /** Change it (-Dmodprep.kills.seed=N) to try other points; a failure names the seed and the points. */
    private static final long SEED = Long.getLong("modprep.kills.seed", 20_261_125L);
    private static final int KILLS = 12;
    private static final int GROUP_SIZE = 3;
    /** Bounds a hang of a start-up only: a start-up that ends sooner changes nothing. */
    private static final Duration START_UP = Duration.ofMinutes(2);

    @TempDir
    static Path dir;

    @Test
    void a_run_killed_at_twelve_random_points_and_restarted_each_time_ends_exactly_as_an_uninterrupted_run_P12() {
        Path env = dir.resolve("env");
        Path imported = dir.resolve("imported");
        assertEquals(0, ModprepProcess.run("demo", "--out", env.toString(), "--modules", "120").exitCode());
        assertEquals(0, ModprepProcess.run("--data", imported.toString(), "import", env.toString()).exitCode());
        // Small groups: a run of about 40 groups, long enough for twelve kills in its middle.
        ModprepProcess.read(imported, dsl -> dsl.update(ENVIRONMENT).set(ENVIRONMENT.GROUP_SIZE, GROUP_SIZE).execute());
        Path reference = ModprepProcess.copy(imported, dir.resolve("reference"));
        Path killed = ModprepProcess.copy(imported, dir.resolve("killed"));

        var uninterrupted = ModprepProcess.run("--data", reference.toString(), "upgrade", "--to", "11.17.0", "--follow");
        assertEquals(1, uninterrupted.exitCode(), "the demo's findByName callers fail on 11.17.0: " + uninterrupted.output());
        var expected = RunOutcome.of(reference, "11.17.0");

        var schedule = new KillSchedule(SEED, KILLS, RunProgress.PREPARATION_STEPS);
        boolean upgraded = false;
        while (schedule.wantsMore()) {
            String data = killed.toString();
            var locked = new int[1];
            try (var process = upgraded ? ModprepProcess.start(Map.of(), "--data", data, "prepare", "--follow")
                    : ModprepProcess.start(Map.of(), "--data", data, "upgrade", "--to", "11.17.0", "--follow");
                 var probe = ProgressProbe.of(killed, RunProgress.ofPreparationRun(1))) {
                // Its first line: it holds the database, and run #1 exists (the upgrade is committed, or being resumed).
                process.awaitLine(Pattern.compile(upgraded ? "^Preparation run #1 is in progress; following it" : "^Preparation run #1: "),
                        START_UP);
                upgraded = true;
                var kill = schedule.killAtNextPoint(probe, process.process::isAlive, seen -> {
                    probe.close(); // not a client of the process it kills
                    process.kill();
                    locked[0] = ModprepProcess.read(killed, dsl -> dsl.fetchCount(MODULE_LOCK));
                    return locked[0] + " locked";
                });
                if (kill.isEmpty() || !kill.get().inTheMiddle()) {
                    break; // the run ended before this kill: nothing left to resume
                }
                assertEquals(137, process.process.exitValue(), "killed by SIGKILL: " + schedule.report());
                assertTrue(locked[0] <= GROUP_SIZE, "P7: only the group in progress is locked, even when killed: " + schedule.report());
            }
        }
        String where = schedule.report();
        System.out.println("RANDOM KILLS " + where);
        assertTrue(schedule.killsInTheMiddle() >= 10, "at least ten kills in the middle of the run: " + where);
        boolean running = ModprepProcess.read(killed, dsl -> dsl.fetchCount(PREPARATION_RUN, PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING)) == 1);
        if (running) {
            var resumed = ModprepProcess.run("--data", killed.toString(), "prepare", "--follow");
            assertEquals(1, resumed.exitCode(), where + "\n" + resumed.output());
            assertTrue(resumed.out().contains("Resuming: "), resumed.output());
        }

        var actual = RunOutcome.of(killed, "11.17.0");
        assertEquals(expected.status(), actual.status(), where);
        assertEquals(expected.moduleStatus(), actual.moduleStatus(), "the same modules prepared, failed and blocked: " + where);
        assertEquals(expected.preparedJars(), actual.preparedJars(), "every prepared module's jar, byte for byte: " + where);
        assertEquals(expected.compilations(), actual.compilations(), "no compilation lost, none made twice: " + where);
        assertEquals(1, actual.runs(), "each restart resumed run #1: " + where);
        assertEquals(0, actual.locks(), "no module left locked: " + where);
        assertFalse(actual.moduleStatus().containsValue("pending") || actual.moduleStatus().containsValue("preparing"), where);
        var groups = ModprepProcess.read(killed, dsl -> dsl.select(RUN_GROUP.SEQ, RUN_GROUP.STATUS).from(RUN_GROUP)
                .where(RUN_GROUP.RUN_ID.eq(1L)).fetchMap(RUN_GROUP.SEQ, r -> r.value2().code()));
        assertTrue(groups.values().stream().allMatch("done"::equals), "every group done: " + groups);
        var steps = ModprepProcess.read(killed, dsl -> dsl.select(GROUP_STEP.GROUP_SEQ, org.jooq.impl.DSL.count()).from(GROUP_STEP)
                .where(GROUP_STEP.RUN_ID.eq(1L), GROUP_STEP.STARTED_AT.isNotNull(), GROUP_STEP.FINISHED_AT.isNotNull())
                .groupBy(GROUP_STEP.GROUP_SEQ).fetchMap(GROUP_STEP.GROUP_SEQ, org.jooq.impl.DSL.count()));
        var referenceSteps = ModprepProcess.read(reference, dsl -> dsl.select(GROUP_STEP.GROUP_SEQ, org.jooq.impl.DSL.count()).from(GROUP_STEP)
                .where(GROUP_STEP.RUN_ID.eq(1L), GROUP_STEP.STARTED_AT.isNotNull(), GROUP_STEP.FINISHED_AT.isNotNull())
                .groupBy(GROUP_STEP.GROUP_SEQ).fetchMap(GROUP_STEP.GROUP_SEQ, org.jooq.impl.DSL.count()));
        assertEquals(referenceSteps, steps, "P13: each group's steps, each with its start and end, once: " + where);
    }
}
