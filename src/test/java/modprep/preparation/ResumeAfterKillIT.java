package modprep.preparation;

import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import modprep.readmodel.RunQueries;
import modprep.status.RunStatus;
import java.util.regex.Pattern;
import modprep.testing.KillSchedule;
import modprep.testing.ModprepProcess;
import modprep.testing.ProgressProbe;
import modprep.testing.RunProgress;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P12 for real: {@code modprep upgrade --follow} runs as a child process on a 300-module demo
 * environment and is killed with SIGKILL once the database shows a few groups done (the run's own
 * progress, not time: {@link KillSchedule#killAt}); {@code modprep prepare --follow}
 * then resumes the run, which must end exactly as an uninterrupted run of the same environment.
 * Runs after {@code package}, on the jar named by the system property {@code modprep.jar}.
 */
class ResumeAfterKillIT {
    @TempDir
    static Path dir;

    @BeforeAll
    static void demoEnvironments() throws Exception {
        ModprepProcess.jar();
        assertEquals(0, modprep("demo", "--out", dir.resolve("env").toString(), "--modules", "300").exitCode());
        assertEquals(0, modprep("--data", dir.resolve("imported").toString(), "import", dir.resolve("env").toString()).exitCode());
    }

    private static ModprepProcess.Done modprep(String... args) {
        return ModprepProcess.run(args);
    }

    private static Path copyOfImported(String name) {
        return ModprepProcess.copy(dir.resolve("imported"), dir.resolve(name));
    }

    private static <T> T read(Path data, Function<DSLContext, T> query) {
        return ModprepProcess.read(data, query);
    }

    /**
     * Starts {@code modprep upgrade --follow} on a data folder and kills it with SIGKILL once the database
     * shows {@code groups} groups of run #1 done (the first read at or past that point).
     */
    private static void killAfterGroups(Path data, int groups, String to) {
        var schedule = new KillSchedule(0, 1, RunProgress.PREPARATION_STEPS);
        try (var process = ModprepProcess.start(Map.of(), "--data", data.toString(), "upgrade", "--to", to, "--follow");
             var probe = ProgressProbe.of(data, RunProgress.ofPreparationRun(1))) {
            process.awaitLine(Pattern.compile("^Preparation run #1: "), Duration.ofMinutes(2)); // it holds the database
            var kill = schedule.killAt(new KillSchedule.Point(groups, 0), probe, process.process::isAlive, seen -> {
                probe.close();
                process.kill(); // SIGKILL on Linux: no shutdown hook, nothing released
                return "";
            });
            assertTrue(kill.isPresent() && kill.get().inTheMiddle(), "the run ended before it could be killed: " + schedule.report());
            assertEquals(137, process.process.exitValue(), "killed by SIGKILL (128 + 9)");
        }
    }

    @Test
    void a_run_killed_with_sigkill_mid_run_resumes_with_prepare_and_ends_exactly_as_an_uninterrupted_run_P12() throws Exception {
        Path reference = copyOfImported("reference");
        Path killed = copyOfImported("killed");

        var uninterrupted = modprep("--data", reference.toString(), "upgrade", "--to", "11.17.0", "--follow");
        assertEquals(1, uninterrupted.exitCode(), "the demo's findByName callers fail on 11.17.0: " + uninterrupted.out() + uninterrupted.err());
        var expected = RunOutcome.of(reference, "11.17.0");
        assertEquals("failed", expected.status());
        int groupCount = read(reference, dsl -> dsl.select(PREPARATION_RUN.GROUP_COUNT).from(PREPARATION_RUN).fetchOne(PREPARATION_RUN.GROUP_COUNT));
        assertTrue(groupCount > 10, "a run long enough to be killed in the middle: " + groupCount + " groups");

        killAfterGroups(killed, 5, "11.17.0");
        var stalled = read(killed, dsl -> dsl.selectFrom(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(1L)).fetchSingle());
        int groupsDone = read(killed, dsl -> new RunQueries(dsl).groupsDone(1));
        assertEquals(RunStatus.RUNNING, stalled.getStatus(), "the killed run is left running");
        assertNotNull(stalled.getLeaseOwner(), "its lease names the killed process");
        assertTrue(groupsDone > 0 && groupsDone < groupCount, groupsDone + " of " + groupCount + " groups done when killed");

        var resumed = modprep("--data", killed.toString(), "prepare", "--follow");
        assertEquals(1, resumed.exitCode(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("Preparation run #1 is in progress; following it."), resumed.out());
        assertTrue(resumed.out().contains("Resuming: "), resumed.out());

        var actual = RunOutcome.of(killed, "11.17.0");
        assertEquals(expected.status(), actual.status());
        assertEquals(expected.moduleStatus(), actual.moduleStatus(), "the same modules prepared, failed and blocked");
        assertEquals(expected.preparedJars(), actual.preparedJars(), "every prepared module has its build, byte for byte the same");
        assertEquals(expected.compilations(), actual.compilations(), "nothing compiled twice, nothing lost");
        assertEquals(1, actual.runs(), "prepare resumed the run instead of starting another");
        assertEquals(0, actual.locks(), "no lock outlives its run");
        assertFalse(actual.moduleStatus().containsValue("pending") || actual.moduleStatus().containsValue("preparing"));
        long prepared = actual.moduleStatus().values().stream().filter("prepared"::equals).count();
        assertEquals(prepared, actual.preparedJars().size(), "every prepared module has its compilation for 11.17.0");
    }

    @Test
    void a_killed_sequential_run_keeps_every_module_locked_only_until_it_resumes_P12_P7() throws Exception {
        Path env = dir.resolve("env-11.14.1");
        Path data = dir.resolve("sequential");
        assertEquals(0, modprep("demo", "--out", env.toString(), "--modules", "200", "--version", "11.14.1").exitCode());
        assertEquals(0, modprep("--data", data.toString(), "import", env.toString()).exitCode());
        int modules = read(data, dsl -> dsl.fetchCount(MODULE));

        killAfterGroups(data, 3, "11.16.1");
        assertEquals(modules, (int) read(data, dsl -> dsl.fetchCount(MODULE_LOCK, MODULE_LOCK.RUN_ID.eq(1L))),
                "sequential: every module is still locked by the stalled run");
        String module = read(data, dsl -> dsl.select(MODULE.NAME).from(MODULE).orderBy(MODULE.NAME).limit(1).fetchOne(MODULE.NAME));
        var refused = modprep("--data", data.toString(), "publish", module);
        assertEquals(3, refused.exitCode(), refused.out() + refused.err());
        assertTrue(refused.err().contains("locked by preparation run #1"), refused.err());

        var resumed = modprep("--data", data.toString(), "prepare", "--follow");
        assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
        assertEquals(0, (int) read(data, dsl -> dsl.fetchCount(MODULE_LOCK)), "the locks ended with the run");
        assertEquals(RunStatus.SUCCEEDED, read(data, dsl -> dsl.select(PREPARATION_RUN.STATUS).from(PREPARATION_RUN).fetchOne(PREPARATION_RUN.STATUS)));
        assertEquals(0, modprep("--data", data.toString(), "publish", module).exitCode());
    }
}
