package modprep.readmodel;

import static modprep.db.schema.Tables.RUN_MODULE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import modprep.Modprep;
import modprep.environment.EnvironmentSnapshot;
import modprep.preparation.GroupDriver;
import modprep.preparation.RunRepository;
import modprep.status.RunStatus;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's status board: while a run goes on it is brought up to date from what changed (the
 * snapshot it holds is not read again), and at every step of every group it says exactly what a board
 * read afresh says; anything else (a publish, a new run, the run's end) makes it read everything again.
 */
class StatusBoardTest {
    /** Failures and what they block, a cycle, a chain, an uploaded module: every kind of status. */
    private static final TestEnvironment ENV = new TestEnvironment("11.16.1")
            .module("Core")
            .module("Util", "Core")
            .failing("Legacy", "Core")
            .module("Orders", "Legacy", "Util")
            .module("Shop", "Orders")
            .module("CycA", "Util", "CycB")
            .module("CycB", "CycA")
            .module("Report", "CycA")
            .module("Mid", "Core")
            .module("Top", "Mid")
            .uploaded("Draft", "Core")
            .module("Solo");

    @TempDir
    Path dir;

    private Modprep imported() {
        var app = TestEnvironment.newModprep();
        app.importer().importFolder(ENV.write(dir.resolve("env")), "test");
        TestEnvironment.setGroupSize(app, 2);
        return app;
    }

    /** The board kept up to date is the board read afresh: the same stamp, the same status for every module. */
    private static Board assertSameAsFresh(Modprep app, StatusBoard board, String when) {
        var kept = board.current();
        var fresh = new StatusBoard(app.database()).current();
        assertEquals(fresh.stamp(), kept.stamp(), when);
        assertEquals(new TreeMap<>(fresh.statuses()), new TreeMap<>(kept.statuses()), when);
        return kept;
    }

    /** Drives every group still to do, checking the board at each step and after each group; then ends the run. */
    private static RunStatus driveChecking(Modprep app, StatusBoard board, GroupDriver driver, long runId, EnvironmentSnapshot snapshot) {
        var runs = new RunRepository(app.database().dsl());
        for (Integer seq = runs.nextGroup(runId); seq != null; seq = runs.nextGroup(runId)) {
            int group = seq;
            assertTrue(driver.prepare(group, step -> {
                assertSameAsFresh(app, board, "group " + group + ", after step check " + step);
                return false;
            }));
            var kept = assertSameAsFresh(app, board, "after group " + group);
            if (snapshot != null) {
                assertSame(snapshot, kept.snapshot(), "brought up to date, not read again, after group " + group);
            }
        }
        return driver.finish();
    }

    @Test
    void during_a_run_the_board_is_brought_up_to_date_and_says_at_every_step_what_a_board_read_afresh_says() {
        try (var app = imported()) {
            var board = new StatusBoard(app.database());
            var before = assertSameAsFresh(app, board, "before the upgrade");
            var started = app.preparations().upgrade("11.17.0", "alice");
            var upgraded = assertSameAsFresh(app, board, "once the run is planned");
            assertNotSame(before.snapshot(), upgraded.snapshot(), "an upgrade reads everything again");
            assertEquals("pending", upgraded.statuses().get("Core").code());

            assertEquals(RunStatus.FAILED, driveChecking(app, board, new GroupDriver(app, started.runId()), started.runId(), upgraded.snapshot()));
            var ended = assertSameAsFresh(app, board, "after the run");
            assertNotSame(upgraded.snapshot(), ended.snapshot(), "the run's end reads everything again");
            assertEquals("failed", ended.statuses().get("Legacy").code());
            assertEquals("blocked", ended.statuses().get("Shop").code());
            assertEquals("prepared", ended.statuses().get("CycB").code());
            assertEquals("uploaded", ended.statuses().get("Draft").code());
        }
    }

    /**
     * Holds the board's lock in another thread, as a request bringing the board up to date would, until the
     * latch returned is counted down.
     */
    private static java.util.concurrent.CountDownLatch holdInAnotherRequest(java.util.concurrent.locks.ReentrantLock lock,
            java.util.concurrent.ExecutorService requests) throws InterruptedException {
        var held = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        requests.submit(() -> {
            lock.lock();
            try {
                held.countDown();
                release.await();
            } finally {
                lock.unlock();
            }
            return null;
        });
        held.await();
        return release;
    }

    @Test
    void while_another_request_brings_the_board_up_to_date_a_request_gets_it_a_moment_old_during_the_run_never_after_its_end()
            throws Exception {
        try (var app = imported()) {
            var lock = new java.util.concurrent.locks.ReentrantLock();
            var board = new StatusBoard(app.database(), lock);
            var started = app.preparations().upgrade("11.17.0", "alice");
            var planned = board.current();
            var driver = new GroupDriver(app, started.runId());
            var requests = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var release = holdInAnotherRequest(lock, requests);
                assertTrue(driver.prepare(1, GroupDriver.StopAfter.NOTHING));
                assertSame(planned, board.current(), "while the run goes on: the board of a moment ago, without waiting");

                for (Integer seq = new RunRepository(app.database().dsl()).nextGroup(started.runId()); seq != null;
                     seq = new RunRepository(app.database().dsl()).nextGroup(started.runId())) {
                    assertTrue(driver.prepare(seq, GroupDriver.StopAfter.NOTHING));
                }
                assertEquals(RunStatus.FAILED, driver.finish());
                var afterTheEnd = requests.submit(() -> board.current());
                assertThrows(java.util.concurrent.TimeoutException.class, () -> afterTheEnd.get(300, java.util.concurrent.TimeUnit.MILLISECONDS),
                        "the run ended: the request waits for the board of its end (no later moment would bring the page forward)");
                release.countDown();
                var ended = afterTheEnd.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(RunStatus.FAILED, ended.stamp().latestRun().status());
                assertEquals("prepared", ended.statuses().get("Top").code());
            } finally {
                requests.shutdownNow();
            }
        }
    }

    @Test
    void the_live_updates_board_waits_for_the_request_bringing_it_up_to_date_and_is_never_a_moment_old() throws Exception {
        try (var app = imported()) {
            var lock = new java.util.concurrent.locks.ReentrantLock();
            var board = new StatusBoard(app.database(), lock);
            var started = app.preparations().upgrade("11.17.0", "alice");
            var planned = board.current();
            var requests = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var release = holdInAnotherRequest(lock, requests);
                assertTrue(new GroupDriver(app, started.runId()).prepare(1, GroupDriver.StopAfter.NOTHING));
                var page = board.stamp(); // a page rendered now shows group 1 done
                assertSame(planned, board.current(), "a request takes the board of a moment ago");
                var live = requests.submit(board::latest);
                assertThrows(java.util.concurrent.TimeoutException.class, () -> live.get(300, java.util.concurrent.TimeUnit.MILLISECONDS),
                        "the live updates wait: the board of a moment ago would take that page back");
                release.countDown();
                var sent = live.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(page, sent.stamp(), "the board of the moment the page shows");
                assertEquals("prepared", sent.statuses().get("Core").code());
            } finally {
                requests.shutdownNow();
            }
        }
    }

    @Test
    void a_publish_during_a_run_and_a_prepare_that_compiles_prepared_modules_again_keep_the_board_exact() {
        try (var app = imported()) {
            var board = new StatusBoard(app.database());
            var started = app.preparations().upgrade("11.17.0", "alice");
            var planned = assertSameAsFresh(app, board, "once the run is planned");
            var driver = new GroupDriver(app, started.runId());
            assertTrue(driver.prepare(1, GroupDriver.StopAfter.NOTHING));
            assertEquals("prepared", assertSameAsFresh(app, board, "after group 1").statuses().get("Core").code());

            // A publish bumps the revision: everything is read again, and stays exact.
            assertTrue(app.publisher().publish(List.of("Core"), "bob").allPublished());
            var published = assertSameAsFresh(app, board, "after publishing Core");
            assertNotSame(planned.snapshot(), published.snapshot());
            assertEquals("running", published.statuses().get("Core").code());
            assertEquals(RunStatus.FAILED, driveChecking(app, board, driver, started.runId(), published.snapshot()));

            // Mid changes (so Top, prepared, is not current any more) and Legacy is fixed: Prepare compiles
            // Top again (its compilation is replaced) and Orders and Shop for the first time.
            app.uploader().upload(ENV.writeChanged(dir.resolve("v2"), "Mid", 2), "bob");
            assertTrue(app.publisher().publish(List.of("Mid"), "bob").allPublished());
            app.uploader().upload(ENV.writeFix(dir.resolve("fixes"), "Legacy"), "bob");
            assertTrue(app.publisher().publish(List.of("Legacy"), "bob").allPublished());
            assertEquals("not-prepared", assertSameAsFresh(app, board, "after the publishes").statuses().get("Top").code());

            var retry = app.preparations().prepare("bob");
            var planned2 = assertSameAsFresh(app, board, "once Prepare is planned");
            assertEquals(RunStatus.SUCCEEDED, driveChecking(app, board, new GroupDriver(app, retry.runId()), retry.runId(), planned2.snapshot()));
            var ended = assertSameAsFresh(app, board, "after Prepare");
            for (String module : List.of("Top", "Orders", "Shop", "Report")) {
                assertEquals("prepared", ended.statuses().get(module).code(), module);
            }
        }
    }

    @Test
    void a_publish_after_a_group_compiled_and_before_it_saved_keeps_the_board_exact() {
        // The group's compilations carry the time the group compiled them, before the publish's: the board
        // read after the publish must still take them in when the group saves them.
        try (var app = imported()) {
            var board = new StatusBoard(app.database());
            var started = app.preparations().upgrade("11.17.0", "alice");
            assertSameAsFresh(app, board, "once the run is planned");
            long runId = started.runId();
            int soloGroup = app.database().dsl().select(RUN_MODULE.GROUP_SEQ).from(RUN_MODULE)
                    .where(RUN_MODULE.RUN_ID.eq(runId), RUN_MODULE.MODULE_NAME.eq("Solo")).fetchSingle().value1();
            int group = soloGroup == 1 ? 2 : 1; // Solo must not be locked by the group (P7)
            var driver = new GroupDriver(app, runId);
            for (int seq = 1; seq < group; seq++) {
                assertTrue(driver.prepare(seq, GroupDriver.StopAfter.NOTHING));
            }
            assertTrue(driver.prepare(group, check -> {
                if (check == GroupDriver.StopAfter.COMPILE.checks) {
                    assertTrue(app.publisher().publish(List.of("Solo"), "bob").allPublished());
                    assertSameAsFresh(app, board, "after publishing Solo while group " + group + " is compiled, not saved");
                }
                return false;
            }));
            assertSameAsFresh(app, board, "after group " + group);
            assertEquals(RunStatus.FAILED, driveChecking(app, board, driver, runId, null));
        }
    }
}
