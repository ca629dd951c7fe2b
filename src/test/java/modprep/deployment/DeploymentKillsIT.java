package modprep.deployment;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.DEPLOYMENT_LOCK;
import static modprep.db.schema.Tables.DEPLOYMENT_MODULE;
import static modprep.db.schema.Tables.DEPLOYMENT_STEP;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_DEPLOYMENT;
import static modprep.db.schema.Tables.RUN_IN_PROGRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import modprep.Modprep;
import modprep.status.RunStatus;
import modprep.testing.KillSchedule;
import modprep.testing.ModprepProcess;
import modprep.testing.ProgressProbe;
import modprep.testing.RunProgress;
import modprep.testing.TestEnvironment;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * D9: a real modprep deploying is killed with SIGKILL at points of the deployment's own progress (the start
 * of a group or one of its steps), drawn by a seeded generator ({@link KillSchedule}), and restarted in
 * the same data folder each time. The deployment must end exactly as an uninterrupted one: the same modules
 * deployed, failed and skipped, each running the same jar, each deployed once, no lock and no run left.
 */
class DeploymentKillsIT {
    private static final long SEED = Long.getLong("modprep.kills.seed", 20_261_129L);
    private static final int KILLS = 3;
    private static final Duration START_UP = Duration.ofMinutes(2);

    @TempDir
    static Path dir;

    @Test
    void a_deployment_killed_at_random_points_and_restarted_each_time_ends_exactly_as_an_uninterrupted_one_D9() {
        // Prepared in this JVM (child processes are slow to start): 24 modules, one failing on 11.17.0 with its consumer.
        var env = new TestEnvironment("11.16.1").module("Core").failing("Auth", "Core").module("Web", "Auth");
        for (int i = 1; i <= 21; i++) {
            env.module("M" + i, i <= 7 ? "Core" : "M" + (i - 7));
        }
        Path prepared = dir.resolve("prepared");
        try (var app = Modprep.open(prepared)) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            // Groups of one: a deployment of 22 groups, long enough for the kills to land in its middle.
            TestEnvironment.setGroupSize(app, 1);
            assertEquals(RunStatus.FAILED, Deploying.upgradeAndPrepare(app, "11.17.0").status(), "Auth fails on 11.17.0, Web is blocked");
        }
        Path reference = ModprepProcess.copy(prepared, dir.resolve("reference"));
        Path killed = ModprepProcess.copy(prepared, dir.resolve("killed"));
        try (var app = Modprep.open(reference)) {
            assertEquals(RunStatus.SUCCEEDED, Deploying.deployToEnd(app).status());
        }
        var expected = outcome(reference);

        var schedule = new KillSchedule(SEED, KILLS, RunProgress.DEPLOYMENT_STEPS);
        while (schedule.wantsMore()) {
            try (var process = ModprepProcess.start(Map.of(), "--data", killed.toString(), "deploy", "--follow");
                 var probe = ProgressProbe.of(killed, RunProgress.ofDeployment(1))) {
                process.awaitLine(Pattern.compile("^Deployment #1"), START_UP);
                var kill = schedule.killAtNextPoint(probe, process.process::isAlive, seen -> {
                    probe.close();
                    process.kill();
                    return ModprepProcess.read(killed, dsl -> dsl.fetchCount(DEPLOYMENT_LOCK)) + " locked";
                });
                if (kill.isEmpty() || !kill.get().inTheMiddle()) {
                    break;
                }
                assertEquals(137, process.process.exitValue(), "killed by SIGKILL: " + schedule.report());
            }
        }
        String where = schedule.report();
        System.out.println("DEPLOYMENT KILLS " + where);
        assertTrue(schedule.killsInTheMiddle() >= 2, "at least two kills in the middle of the deployment: " + where);
        if (ModprepProcess.read(killed, dsl -> dsl.fetchCount(DEPLOYMENT, DEPLOYMENT.STATUS.eq(RunStatus.RUNNING))) == 1) {
            var resumed = ModprepProcess.run("--data", killed.toString(), "deploy", "--follow");
            assertEquals(0, resumed.exitCode(), where + "\n" + resumed.output());
            assertTrue(resumed.out().contains("Deployment #1 is in progress; following it"), resumed.output());
        }
        assertEquals(expected, outcome(killed), where);
    }

    /** Everything a deployment leaves behind that must not depend on kills, as text by key. */
    private static Map<String, String> outcome(Path data) {
        return ModprepProcess.read(data, (DSLContext dsl) -> {
            var result = new TreeMap<String, String>();
            dsl.select(MODULE.NAME, MODULE.RUNNING_VERSION, MODULE.RUNNING_JAR).from(MODULE)
                    .forEach(r -> result.put("runs " + r.value1(), r.value2() + " " + r.value3()));
            dsl.select(DEPLOYMENT_MODULE.MODULE_NAME, DEPLOYMENT_MODULE.STATUS, DEPLOYMENT_MODULE.GROUP_SEQ, DEPLOYMENT_MODULE.REASON)
                    .from(DEPLOYMENT_MODULE).forEach(r -> result.put("deployment " + r.value1(), r.value2().code() + " group " + r.value3()
                            + " " + r.value4()));
            dsl.select(MODULE.NAME, DSL.count(), DSL.max(MODULE_DEPLOYMENT.JAR_SHA256), DSL.max(MODULE_DEPLOYMENT.PREVIOUS_JAR))
                    .from(MODULE_DEPLOYMENT).join(MODULE).on(MODULE.ID.eq(MODULE_DEPLOYMENT.MODULE_ID)).groupBy(MODULE.NAME)
                    .forEach(r -> result.put("deployed " + r.value1(), r.value2() + "x " + r.value3() + " after " + r.value4()));
            var d = dsl.selectFrom(DEPLOYMENT).fetchSingle();
            result.put("the deployment", d.getStatus().code() + " " + d.getTotalCount() + " planned, " + d.getDeployedCount()
                    + " deployed, " + d.getFailedCount() + " failed, " + d.getBlockedCount() + " blocked, " + d.getSkippedCount() + " skipped");
            result.put("locks and runs in progress", dsl.fetchCount(DEPLOYMENT_LOCK) + " " + dsl.fetchCount(RUN_IN_PROGRESS));
            result.put("steps not timed", String.valueOf(dsl.fetchCount(DEPLOYMENT_STEP,
                    DEPLOYMENT_STEP.STARTED_AT.isNull().or(DEPLOYMENT_STEP.FINISHED_AT.isNull()))));
            return result;
        });
    }
}
