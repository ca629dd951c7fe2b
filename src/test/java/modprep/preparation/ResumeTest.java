package modprep.preparation;

import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.readmodel.RunQueries;
import modprep.status.RunStatus;
import modprep.testing.Builds;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P12 within one JVM: a worker that dies mid-group (its lease names a process that no longer exists, as
 * after SIGKILL) is taken over by the next worker, which redoes the group. The real SIGKILL of a real
 * process is {@code ResumeAfterKillIT}.
 */
class ResumeTest {
    @TempDir
    Path dir;

    private Modprep imported(TestEnvironment env) {
        var app = TestEnvironment.newModprep();
        app.importer().importFolder(env.write(dir.resolve("env")), "test");
        return app;
    }

    private static TestEnvironment chain() {
        return new TestEnvironment("11.16.1").module("Core").module("Util").module("Mid", "Core").module("Top", "Mid", "Util")
                .module("Lone");
    }

    @Test
    void a_group_killed_after_its_compile_is_redone_by_the_next_worker_without_compiling_anything_twice_P12() {
        try (var app = imported(chain())) {
            TestEnvironment.setGroupSize(app, 2);
            var started = app.preparations().upgrade("11.17.0", "alice");
            int imported = Builds.compilations(app);
            var driver = new GroupDriver(app, started.runId());
            driver.prepare(1, GroupDriver.StopAfter.COMPILE);
            driver.dieLikeAKilledProcess();
            assertEquals(imported + 2, Builds.compilations(app), "group 1's two jars were stored before the crash");
            var dsl = app.database().dsl();
            assertEquals(2, dsl.fetchCount(MODULE_LOCK), "the dead worker's group is still locked");
            assertEquals(RunStatus.RUNNING, new RunQueries(dsl).run(started.runId(), false).status());

            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                var run = TestEnvironment.awaitEnd(app, started.runId(), Duration.ofSeconds(60));
                assertEquals(RunStatus.SUCCEEDED, run.status());
                assertEquals(List.of("Core", "Lone", "Mid", "Top", "Util"), TestEnvironment.byStatus(run).get("prepared"));
            }
            assertEquals(imported + 5, Builds.compilations(app), "each module compiled exactly once");
            assertEquals(0, dsl.fetchCount(MODULE_LOCK), "no lock outlives its run");
            for (String m : List.of("Core", "Util", "Mid", "Top", "Lone")) {
                assertNotNull(Builds.build(app, m, "11.17.0"), m + " has its prepared compilation");
            }
            var run = dsl.selectFrom(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(started.runId())).fetchSingle();
            assertNull(run.getLeaseOwner(), "the lease ends with the run");
        }
    }

    @Test
    void a_lock_left_by_a_killed_worker_holds_until_the_run_resumes_and_does_not_outlive_it_P12_P7() {
        try (var app = imported(chain())) {
            TestEnvironment.setGroupSize(app, 2);
            var started = app.preparations().upgrade("11.17.0", "alice");
            var driver = new GroupDriver(app, started.runId());
            driver.prepare(1, GroupDriver.StopAfter.LOCK);
            driver.dieLikeAKilledProcess();
            var refused = assertThrows(ModprepException.class, () -> app.publisher().publish(List.of("Core"), "carol"));
            assertTrue(refused.getMessage().contains("locked by preparation run #" + started.runId()), refused.getMessage());

            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                assertEquals(RunStatus.SUCCEEDED, TestEnvironment.awaitEnd(app, started.runId(), Duration.ofSeconds(60)).status());
            }
            assertEquals(0, app.database().dsl().fetchCount(MODULE_LOCK));
            assertTrue(app.publisher().publish(List.of("Core"), "carol").allPublished());
        }
    }

    @Test
    void a_run_whose_worker_is_alive_is_not_claimed_by_another_P12() {
        try (var app = imported(chain())) {
            var started = app.preparations().upgrade("11.17.0", "alice");
            var first = new Leases(app.database(), app.clock());
            var second = new Leases(app.database(), app.clock());
            assertEquals(started.runId(), first.claim());
            assertNull(second.claim(), "the lease of a live worker is respected: each group is prepared once");
            first.release(started.runId());
            assertEquals(started.runId(), second.claim(), "a released run is taken over at once");
            var lost = assertThrows(Leases.LeaseLost.class,
                    () -> app.database().transaction(tx -> {
                        first.renew(tx, started.runId());
                        return null;
                    }));
            assertTrue(lost.getMessage().contains("#" + started.runId()));
        }
    }
}
