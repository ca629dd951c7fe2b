package modprep.preparation;

import static modprep.db.schema.Tables.MODULE_LOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.readmodel.ModuleReports;
import modprep.readmodel.RunQueries;
import modprep.status.BuildOrigin;
import modprep.status.GroupStatus;
import modprep.status.PreparationMode;
import modprep.status.RunStatus;
import modprep.testing.Builds;
import modprep.testing.DatabaseDump;
import modprep.testing.RowLock;
import modprep.testing.RunProgress;
import modprep.testing.Stall;
import modprep.testing.TestEnvironment;
import modprep.testing.TestEnvironment.ModuleDef;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** P7 (locked modules refuse Publish, Apply configurations and Delete) and P8 (Publish waits for producers). */
class LockAndReadinessTest {
    private static final Pattern ASKED_AT = Pattern.compile("asked by carol at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");

    @TempDir
    Path dir;

    private Modprep imported(TestEnvironment env) {
        var app = TestEnvironment.newModprep();
        app.importer().importFolder(env.write(dir.resolve("env")), "test");
        return app;
    }

    private static TestEnvironment withConfiguration(String version) {
        return new TestEnvironment(version)
                .add(new ModuleDef("Core", "App", true, List.of(), false, Map.of("timeout", "30")))
                .add(new ModuleDef("Web", "App", true, List.of("Core"), false, Map.of("title", "Shop")))
                .add(new ModuleDef("Solo", "Other", true, List.of(), false, Map.of("color", "blue")))
                .uploaded("Draft", "Core");
    }

    /** Runs the refused operation and checks that it was refused for the lock, and that nothing changed. */
    private static String refusedForLock(Modprep app, Executable operation) {
        var before = DatabaseDump.of(app);
        var refused = assertThrows(ModprepException.class, operation);
        assertEquals(ModprepException.Kind.REFUSED, refused.kind(), refused.getMessage());
        assertEquals(before, DatabaseDump.of(app), "a refused operation changes nothing");
        assertTrue(ASKED_AT.matcher(refused.getMessage()).find(), "who asked and when: " + refused.getMessage());
        assertTrue(refused.getMessage().contains("Nothing was changed."), refused.getMessage());
        return refused.getMessage();
    }

    @Test
    void the_modules_of_the_group_in_progress_refuse_publish_apply_configurations_and_delete_and_nothing_changes_P7() {
        try (var app = imported(withConfiguration("11.16.1"))) {
            TestEnvironment.setGroupSize(app, 1);
            var started = app.preparations().upgrade("11.17.0", "alice");
            var driver = new GroupDriver(app, started.runId());
            driver.prepare(1, GroupDriver.StopAfter.LOCK);
            long runId = started.runId();
            assertEquals(1, app.database().dsl().fetchCount(MODULE_LOCK), "progressive: only group 1 (Core) is locked");

            String publish = refusedForLock(app, () -> app.publisher().publish(List.of("Core"), "carol"));
            String apply = refusedForLock(app, () -> app.operations().applyConfigurations("Core", Map.of("timeout", "60"), "carol"));
            String delete = refusedForLock(app, () -> app.operations().delete("Core", "carol"));
            assertTrue(publish.startsWith("Publish of module Core was refused"), publish);
            assertTrue(apply.startsWith("Apply configurations of module Core was refused"), apply);
            assertTrue(delete.startsWith("Delete of module Core was refused"), delete);
            for (String message : List.of(publish, apply, delete)) {
                assertTrue(message.contains("locked by preparation run #" + runId + " (started "), message);
                assertTrue(message.contains(" by alice)"), "who started the run: " + message);
                assertTrue(message.contains("group 1 of 3"), message);
                assertTrue(message.contains("Wait until group 1 is prepared"), message);
                assertTrue(message.contains("/preparations/" + runId), "the details page: " + message);
            }
            // Asking for a locked module among others refuses all of them.
            String many = refusedForLock(app, () -> app.publisher().publish(List.of("Solo", "Core"), "carol"));
            assertTrue(many.startsWith("Publish of module Core was refused"), many);
            assertEquals("11.16.1", Builds.module(app, "Solo").getRunningVersion());

            // A module of a later group is not locked.
            assertTrue(app.publisher().publish(List.of("Solo"), "carol").allPublished());
            app.operations().applyConfigurations("Solo", Map.of("color", "green"), "carol");

            // Once the group is done its modules are free again.
            assertTrue(driver.prepare(1, GroupDriver.StopAfter.NOTHING));
            assertEquals(0, app.database().dsl().fetchCount(MODULE_LOCK));
            app.operations().applyConfigurations("Core", Map.of("timeout", "60"), "carol");
            assertEquals(Map.of("timeout", "60"), new ModuleReports(app.database().dsl()).report("Core").configuration());
        }
    }

    @Test
    void a_sequential_run_locks_every_module_until_it_ends_P7() {
        try (var app = imported(withConfiguration("11.14.1"))) {
            var started = app.preparations().upgrade("11.16.1", "alice");
            assertEquals(PreparationMode.SEQUENTIAL, started.mode());
            for (String module : List.of("Core", "Web", "Solo", "Draft")) {
                String publish = refusedForLock(app, () -> app.publisher().publish(List.of(module), "carol"));
                assertTrue(publish.startsWith("Publish of module " + module + " was refused"), publish);
                assertTrue(publish.contains("locks every module until the whole run ends (sequential preparation)"), publish);
                assertTrue(publish.contains("locked by preparation run #" + started.runId()), publish);
                String delete = refusedForLock(app, () -> app.operations().delete(module, "carol"));
                assertTrue(delete.startsWith("Delete of module " + module + " was refused"), delete);
            }
            String apply = refusedForLock(app, () -> app.operations().applyConfigurations("Solo", Map.of("color", "red"), "carol"));
            assertTrue(apply.startsWith("Apply configurations of module Solo was refused"), apply);
            refusedForLock(app, () -> app.publisher().publishAll("carol"));

            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                assertEquals(RunStatus.SUCCEEDED, TestEnvironment.awaitEnd(app, started.runId(), Duration.ofSeconds(60)).status());
            }
            assertEquals(0, app.database().dsl().fetchCount(MODULE_LOCK), "the locks end with the run");
            app.operations().applyConfigurations("Solo", Map.of("color", "red"), "carol");
            assertTrue(app.publisher().publish(List.of("Web"), "carol").allPublished());
        }
    }

    @Test
    void during_a_real_progressive_run_only_the_modules_of_the_group_in_progress_are_ever_locked_P7() {
        var env = new TestEnvironment("11.16.1").module("Core");
        for (int i = 0; i < 30; i++) {
            env.module("M" + i, i % 3 == 0 ? new String[] {"Core"} : new String[] {"Core", "M" + (i - i % 3)});
        }
        try (var app = imported(env)) {
            TestEnvironment.setGroupSize(app, 3);
            var started = app.preparations().upgrade("11.17.0", "alice");
            var dsl = app.database().dsl();
            var group = modprep.db.schema.Tables.RUN_GROUP;
            // One statement sees one committed state: locks, and the groups they belong to.
            var locksOutsideRunningGroups = dsl.selectCount().from(MODULE_LOCK).join(group)
                    .on(group.RUN_ID.eq(MODULE_LOCK.RUN_ID), group.SEQ.eq(MODULE_LOCK.GROUP_SEQ)).where(group.STATUS.ne(GroupStatus.RUNNING));
            var lockedGroups = dsl.select(org.jooq.impl.DSL.countDistinct(MODULE_LOCK.GROUP_SEQ), org.jooq.impl.DSL.count()).from(MODULE_LOCK);
            int samplesWithLocks = 0;
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                worker.wake();
                var progress = RunProgress.ofPreparationRun(started.runId());
                var stall = new Stall(Duration.ofSeconds(90));
                for (var now = progress.apply(dsl); now.running(); now = progress.apply(dsl)) {
                    stall.moved(now, () -> "the run");
                    assertEquals(0, locksOutsideRunningGroups.fetchOne(0, Integer.class), "a lock outside the group in progress");
                    var locked = lockedGroups.fetchOne();
                    assertTrue(locked.value1() <= 1 && locked.value2() <= 3, "locks of one group at most: " + locked);
                    samplesWithLocks += locked.value2() > 0 ? 1 : 0;
                }
            }
            assertTrue(samplesWithLocks > 0, "the groups' locks were seen while they were prepared");
            assertEquals(0, dsl.fetchCount(MODULE_LOCK));
            assertEquals(RunStatus.SUCCEEDED, new RunQueries(dsl).run(started.runId(), false).status());
        }
    }

    @Test
    void a_module_of_a_later_group_can_be_deleted_during_a_progressive_run_which_goes_on_without_it_P7() {
        try (var app = imported(withConfiguration("11.16.1"))) {
            TestEnvironment.setGroupSize(app, 1);
            var started = app.preparations().upgrade("11.17.0", "alice");
            var driver = new GroupDriver(app, started.runId());
            driver.prepare(1, GroupDriver.StopAfter.LOCK);
            refusedForLock(app, () -> app.operations().delete("Core", "carol"));
            app.operations().delete("Solo", "carol"); // group 2, not locked, used by nobody
            assertEquals(RunStatus.SUCCEEDED, driver.finish());
            var run = new RunQueries(app.database().dsl()).run(started.runId(), true);
            assertEquals(List.of("Core", "Web"), TestEnvironment.byStatus(run).get("prepared"));
            assertEquals(2, run.counts().total());
            assertEquals(0, app.database().dsl().fetchCount(MODULE_LOCK));
        }
    }

    /**
     * A publish that passed its lock check just before the group locked the module, and commits while
     * the group compiles the module's old code: the group must not then replace the published
     * compilation with its own of code the module no longer runs (P3, P7, P9). The publish is held
     * between its check and its commit by a row lock this test takes, so the race happens every time.
     */
    @Test
    void a_publish_that_commits_while_the_group_compiles_the_module_is_not_overwritten_by_the_group_P7_P9() throws Exception {
        var env = new TestEnvironment("11.16.1").module("Core").module("Web", "Core");
        try (var app = imported(env)) {
            TestEnvironment.setGroupSize(app, 1);
            app.uploader().upload(env.writeChanged(dir.resolve("v2"), "Core", 2), "carol");
            var started = app.preparations().upgrade("11.17.0", "alice");
            var dsl = app.database().dsl();

            var driver = new GroupDriver(app, started.runId());
            var rowLock = RowLock.take(app.database(), "SELECT id FROM module WHERE name = 'Core' FOR UPDATE");
            var publish = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                var published = publish.submit(() -> app.publisher().publish(List.of("Core"), "carol"));
                rowLock.awaitWaiting(1); // the publish waits on the module's row

                boolean done = driver.prepare(1, check -> {
                    if (check == 2) { // the group holds Core's lock and its snapshot; the publish commits now
                        try {
                            rowLock.release();
                            published.get(30, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return false;
                });
                assertTrue(done);
                assertTrue(published.get().allPublished(), published.get().toString());
            } finally {
                publish.shutdownNow();
                rowLock.close();
            }
            var core = Builds.module(app, "Core");
            var build = Builds.build(app, "Core", "11.17.0");
            assertEquals(core.getPublishedCodeId(), build.getCodeId(), "Core's compilation for 11.17.0 is of the code it runs");
            assertEquals(BuildOrigin.PUBLISHED, build.getOrigin());
            assertEquals(core.getRunningJar(), build.getJarSha256());

            assertEquals(RunStatus.SUCCEEDED, driver.finish(), "Web is prepared against Core's published compilation");
            var web = Builds.build(app, "Web", "11.17.0");
            var snapshot = modprep.environment.EnvironmentSnapshot.load(dsl, modprep.platform.PlatformVersion.parseOrNull("11.17.0"));
            assertTrue(snapshot.isCurrent("Core") && snapshot.isCurrent("Web"));
            assertEquals(BuildOrigin.PREPARED, web.getOrigin());
        }
    }

    /** Publishes and expects the P8 refusal; returns its message. */
    private static String refusedNotReady(Modprep app, String module) {
        var before = DatabaseDump.of(app);
        var refused = assertThrows(ModprepException.class, () -> app.publisher().publish(List.of(module), "carol"));
        assertEquals(ModprepException.Kind.REFUSED, refused.kind());
        assertEquals(before, DatabaseDump.of(app), "a refused publish changes nothing");
        String message = refused.getMessage();
        assertTrue(message.startsWith("Publish of module " + module + " was refused: it uses"), message);
        assertTrue(message.contains("not yet prepared for 11.17.0"), message);
        assertTrue(message.contains("run Prepare"), "suggests Prepare: " + message);
        return message;
    }

    @Test
    void publishing_waits_for_the_producers_and_works_before_the_modules_own_turn_P8() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Util").module("Mid", "Core").module("Both", "Core", "Util");
        try (var app = imported(env)) {
            TestEnvironment.setGroupSize(app, 1);
            var started = app.preparations().upgrade("11.17.0", "alice");
            long runId = started.runId();

            String mid = refusedNotReady(app, "Mid");
            assertTrue(mid.contains("Core (the run has not reached it yet (run #" + runId + ", group 1 of 4))"), mid);
            String both = refusedNotReady(app, "Both");
            assertTrue(both.contains("it uses 2 modules not yet prepared"), both);
            assertTrue(both.contains("Core (the run has not reached it yet") && both.contains("Util (the run has not reached it yet"), both);
            assertTrue(both.contains("Publish those producers first"), both);

            var driver = new GroupDriver(app, runId);
            driver.prepare(1, GroupDriver.StopAfter.LOCK);
            assertTrue(refusedNotReady(app, "Mid").contains("Core (it is being prepared now (run #" + runId + ", group 1))"));
            assertTrue(driver.prepare(1, GroupDriver.StopAfter.NOTHING));

            // Core is prepared: Mid, planned for a later group, can be published now.
            var report = app.publisher().publish(List.of("Mid"), "carol");
            assertTrue(report.allPublished(), report.toString());
            assertEquals("11.17.0", Builds.module(app, "Mid").getRunningVersion());
            assertTrue(refusedNotReady(app, "Both").contains("Util (the run has not reached it yet"));

            // The run then finds Mid current and does not compile it again.
            int compilations = Builds.compilations(app);
            assertEquals(RunStatus.SUCCEEDED, driver.finish());
            assertEquals(BuildOrigin.PUBLISHED, Builds.build(app, "Mid", "11.17.0").getOrigin());
            assertEquals(compilations + 2, Builds.compilations(app), "Util and Both only");
        }
    }

    @Test
    void publishing_is_refused_naming_each_producer_that_failed_or_is_blocked_P8() {
        var env = new TestEnvironment("11.16.1").module("Core").failing("Legacy", "Core").module("UsesLegacy", "Legacy")
                .module("Top", "UsesLegacy");
        try (var app = imported(env)) {
            var started = app.preparations().upgrade("11.17.0", "alice");
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                assertEquals(RunStatus.FAILED, TestEnvironment.awaitEnd(app, started.runId(), Duration.ofSeconds(60)).status());
            }
            String usesLegacy = refusedNotReady(app, "UsesLegacy");
            assertTrue(usesLegacy.contains("Legacy (its preparation failed in run #" + started.runId() + ")"), usesLegacy);
            String top = refusedNotReady(app, "Top");
            assertTrue(top.contains("UsesLegacy (it is blocked by Legacy, which failed in run #" + started.runId() + ")"), top);
        }
    }

    @Test
    void publishing_is_refused_when_a_producer_is_out_of_date_and_no_run_is_going_on_P8() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Mid", "Core").module("Top", "Mid");
        try (var app = imported(env)) {
            var started = app.preparations().upgrade("11.17.0", "alice");
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                assertEquals(RunStatus.SUCCEEDED, TestEnvironment.awaitEnd(app, started.runId(), Duration.ofSeconds(60)).status());
            }
            app.uploader().upload(env.writeChanged(dir.resolve("v2"), "Core", 2), "bob");
            assertTrue(app.publisher().publish(List.of("Core"), "bob").allPublished());
            String top = refusedNotReady(app, "Top");
            assertTrue(top.contains("Mid (no preparation run is going on)"), top);
        }
    }
}
