package modprep.preparation;

import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_MODULE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.environment.BuildInputs;
import modprep.environment.EnvironmentSnapshot;
import modprep.platform.PlatformVersion;
import modprep.readmodel.ModuleReports;
import modprep.readmodel.RunQueries;
import modprep.readmodel.RunView;
import modprep.status.BuildOrigin;
import modprep.status.GroupStatus;
import modprep.status.RunStatus;
import modprep.status.RunTrigger;
import modprep.testing.Builds;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** P3, P6, P9, P10, P11, P13 on real runs: real compilations, a real worker, the database as the witness. */
class PreparationRulesTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private Modprep imported(TestEnvironment env) {
        var app = TestEnvironment.newModprep();
        app.importer().importFolder(env.write(dir.resolve("env")), "test");
        return app;
    }

    /** Starts an upgrade and runs it to its end with a real worker. */
    private static RunView upgradeAndRun(Modprep app, String to) {
        var started = app.preparations().upgrade(to, "alice");
        return runToEnd(app, started.runId());
    }

    private static RunView runToEnd(Modprep app, long runId) {
        try (var worker = app.worker(WorkerKind.SERVER).start()) {
            worker.wake();
            return TestEnvironment.awaitEnd(app, runId, RUN_TIMEOUT);
        }
    }

    private static Map<String, RunView.ModuleView> modules(RunView run) {
        var byName = new HashMap<String, RunView.ModuleView>();
        run.groups().forEach(g -> g.modules().forEach(m -> byName.put(m.name(), m)));
        return byName;
    }

    private static Map<String, Integer> groupOf(RunView run) {
        var groups = new HashMap<String, Integer>();
        run.groups().forEach(g -> g.modules().forEach(m -> groups.put(m.name(), g.seq())));
        return groups;
    }

    @Test
    void a_prepared_module_keeps_running_its_old_compilation_until_it_is_published_P3() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Mid", "Core").module("Top", "Mid");
        try (var app = imported(env)) {
            var imported = new HashMap<String, String>();
            for (String m : List.of("Core", "Mid", "Top")) {
                imported.put(m, Builds.module(app, m).getRunningJar());
            }
            var run = upgradeAndRun(app, "11.17.0");
            assertEquals(RunStatus.SUCCEEDED, run.status());

            for (String m : List.of("Core", "Mid", "Top")) {
                var module = Builds.module(app, m);
                assertEquals("11.16.1", module.getRunningVersion(), m + " still runs its 11.16.1 compilation");
                assertEquals(imported.get(m), module.getRunningJar(), m + "'s running jar did not change");
                var old = Builds.build(app, m, "11.16.1");
                var prepared = Builds.build(app, m, "11.17.0");
                assertEquals(BuildOrigin.IMPORTED, old.getOrigin());
                assertEquals(old.getJarSha256(), module.getRunningJar());
                assertEquals(BuildOrigin.PREPARED, prepared.getOrigin());
                assertEquals(run.id(), prepared.getRunId());
                assertNotEquals(old.getJarSha256(), prepared.getJarSha256(), m + " was really compiled again, against 11.17.0");
                assertTrue(Builds.jarMentions(app, prepared.getJarSha256(), "11.17.0"), "compiled against 11.17.0's system components");
                assertFalse(Builds.jarMentions(app, prepared.getJarSha256(), "11.16.1"));
                assertTrue(Builds.jarMentions(app, module.getRunningJar(), "11.16.1"));
                var status = new ModuleReports(app.database().dsl()).report(m).statusForCurrentVersion();
                assertEquals("prepared", status.code());
                assertTrue(status.text().contains("still runs its compilation for 11.16.1"), status.text());
            }
            // ... and against its producers' prepared compilations for 11.17.0, not their running ones.
            var snapshot = EnvironmentSnapshot.load(app.database().dsl(), PlatformVersion.parseOrNull("11.17.0"));
            var core = Builds.build(app, "Core", "11.17.0");
            var expected = BuildInputs.of(snapshot.version(), Map.of("Mid", snapshot.module("Mid").publishedSourcesSha256()),
                    List.of(new BuildInputs.ProducerBuild("Core", core.getJarSha256(), core.getInputsSha256())));
            assertEquals(expected.get("Mid"), Builds.build(app, "Mid", "11.17.0").getInputsSha256());

            // Publishing deploys it: from then on it runs on 11.17.0.
            assertTrue(app.publisher().publish(List.of("Core"), "bob").allPublished());
            var core2 = Builds.module(app, "Core");
            assertEquals("11.17.0", core2.getRunningVersion());
            assertEquals(core.getJarSha256(), core2.getRunningJar());
            assertEquals("11.16.1", Builds.module(app, "Mid").getRunningVersion(), "publishing Core deploys Core only");
        }
    }

    @Test
    void publishing_after_preparation_uses_the_compilations_made_by_the_preparation_P9() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Mid", "Core").module("Top", "Mid");
        try (var app = imported(env)) {
            assertEquals(RunStatus.SUCCEEDED, upgradeAndRun(app, "11.17.0").status());
            var core = Builds.build(app, "Core", "11.17.0");
            var mid = Builds.build(app, "Mid", "11.17.0");
            int compilations = Builds.compilations(app);

            // The same code: its prepared jar is deployed as it is, nothing is compiled.
            var report = app.publisher().publish(List.of("Mid"), "bob");
            assertTrue(report.allPublished(), report.toString());
            assertEquals(mid.getJarSha256(), report.results().get(0).jarSha256());
            assertEquals(mid.getJarSha256(), Builds.module(app, "Mid").getRunningJar());
            assertEquals(mid.getInputsSha256(), Builds.build(app, "Mid", "11.17.0").getInputsSha256());
            assertEquals(compilations, Builds.compilations(app), "no new compilation: the prepared one, same inputs, is deployed");

            // New code for Top: compiled against Mid's (and so Core's) prepared compilations.
            app.uploader().upload(env.writeChanged(dir.resolve("v2"), "Top", 2), "bob");
            assertTrue(app.publisher().publish(List.of("Top"), "bob").allPublished());
            var snapshot = EnvironmentSnapshot.load(app.database().dsl(), PlatformVersion.parseOrNull("11.17.0"));
            var expected = BuildInputs.of(snapshot.version(), Map.of("Top", snapshot.module("Top").publishedSourcesSha256()),
                    List.of(new BuildInputs.ProducerBuild("Mid", mid.getJarSha256(), mid.getInputsSha256())));
            var top = Builds.build(app, "Top", "11.17.0");
            assertEquals(BuildOrigin.PUBLISHED, top.getOrigin());
            assertEquals(expected.get("Top"), top.getInputsSha256());
            assertEquals(compilations + 1, Builds.compilations(app), "only Top was compiled");
            assertEquals(core.getBuiltAt(), Builds.build(app, "Core", "11.17.0").getBuiltAt(), "Core's prepared build is untouched");
        }
    }

    @Test
    void a_failing_module_is_failed_with_javacs_diagnostic_its_consumers_are_blocked_not_compiled_and_the_rest_is_prepared_P10() {
        var env = new TestEnvironment("11.16.1")
                .module("Core")
                .failing("Legacy", "Core")
                .module("UsesLegacy", "Legacy")
                .module("Top", "UsesLegacy", "Core")
                .module("Independent", "Core")
                // A reference cycle whose one member fails: the other is blocked by it, and so is its consumer.
                .failing("CycA", "CycB")
                .module("CycB", "CycA")
                .module("AfterCycle", "CycB");
        try (var app = imported(env)) {
            int importedCompilations = Builds.compilations(app);
            var run = upgradeAndRun(app, "11.17.0");

            assertEquals(RunStatus.FAILED, run.status(), "the run goes on and ends finished with errors");
            assertNull(run.internalError(), "module failures are not an internal error");
            var byStatus = TestEnvironment.byStatus(run);
            assertEquals(List.of("CycA", "Legacy"), byStatus.get("failed"));
            assertEquals(List.of("AfterCycle", "CycB", "Top", "UsesLegacy"), byStatus.get("blocked"));
            assertEquals(List.of("Core", "Independent"), byStatus.get("prepared"));
            assertEquals(new RunView.Counts(8, 2, 2, 4, 0), run.counts());

            var modules = modules(run);
            var legacy = modules.get("Legacy").diagnostics();
            assertTrue(legacy.startsWith("src/m/legacy/Api.java:7: error: cannot find symbol"), legacy);
            assertTrue(legacy.contains("findByName"), legacy);
            assertTrue(modules.get("CycA").diagnostics().startsWith("src/m/cyca/Api.java:7: error: cannot find symbol"),
                    modules.get("CycA").diagnostics());
            assertEquals("Legacy", modules.get("UsesLegacy").blockedBy());
            assertEquals("Legacy", modules.get("Top").blockedBy());
            assertEquals("CycA", modules.get("CycB").blockedBy());
            assertEquals("CycA", modules.get("AfterCycle").blockedBy());
            assertEquals(groupOf(run).get("CycA"), groupOf(run).get("CycB"), "a cycle is prepared in one group");

            for (String m : List.of("Legacy", "UsesLegacy", "Top", "CycA", "CycB", "AfterCycle")) {
                assertNull(Builds.build(app, m, "11.17.0"), m + " has no compilation for 11.17.0");
            }
            for (String m : List.of("UsesLegacy", "Top", "AfterCycle")) {
                assertNull(modules.get(m).startedAt(), m + " was never started: it waited on a failure");
            }
            assertEquals(importedCompilations + 2, Builds.compilations(app), "only Core and Independent were compiled");

            var blocked = new ModuleReports(app.database().dsl()).report("Top").statusForCurrentVersion();
            assertEquals("blocked", blocked.code());
            assertTrue(blocked.text().contains("Blocked by Legacy"), blocked.text());
            var failed = new ModuleReports(app.database().dsl()).report("Legacy").statusForCurrentVersion();
            assertEquals("failed", failed.code());
            assertEquals(legacy, failed.diagnostics());
        }
    }

    @Test
    void prepare_reruns_only_failed_and_blocked_modules_and_never_compiles_a_prepared_one_again_P11() {
        var env = new TestEnvironment("11.16.1")
                .module("Core").failing("Legacy", "Core").module("UsesLegacy", "Legacy").module("Independent", "Core");
        try (var app = imported(env)) {
            var first = upgradeAndRun(app, "11.17.0");
            assertEquals(RunStatus.FAILED, first.status());
            var core = Builds.build(app, "Core", "11.17.0");
            var independent = Builds.build(app, "Independent", "11.17.0");
            int compilations = Builds.compilations(app);

            // Nothing fixed: Prepare tries exactly the failed and the blocked modules again.
            var retry = app.preparations().prepare("bob");
            assertEquals(RunTrigger.PREPARE, new RunQueries(app.database().dsl()).run(retry.runId(), false).trigger());
            var second = runToEnd(app, retry.runId());
            assertEquals(Set.of("Legacy", "UsesLegacy"), modules(second).keySet());
            assertEquals(List.of("Legacy"), TestEnvironment.byStatus(second).get("failed"));
            assertEquals(List.of("UsesLegacy"), TestEnvironment.byStatus(second).get("blocked"));
            assertEquals(compilations, Builds.compilations(app));

            // Fixed and published: Prepare re-runs only the blocked consumer.
            app.uploader().upload(env.writeFix(dir.resolve("fixes"), "Legacy"), "bob");
            assertTrue(app.publisher().publish(List.of("Legacy"), "bob").allPublished());
            var third = runToEnd(app, app.preparations().prepare("bob").runId());
            assertEquals(RunStatus.SUCCEEDED, third.status());
            assertEquals(Set.of("UsesLegacy"), modules(third).keySet());
            assertEquals(compilations + 2, Builds.compilations(app), "Legacy's publish and UsesLegacy: nothing else");

            for (var before : List.of(core, independent)) {
                var now = app.database().dsl().selectFrom(modprep.db.schema.Tables.MODULE_BUILD)
                        .where(modprep.db.schema.Tables.MODULE_BUILD.MODULE_ID.eq(before.getModuleId()),
                                modprep.db.schema.Tables.MODULE_BUILD.PLATFORM_VERSION.eq("11.17.0")).fetchSingle();
                assertEquals(before.getBuiltAt(), now.getBuiltAt());
                assertEquals(before.getRunId(), now.getRunId(), "still the compilation of run #" + first.id());
            }
            // Everything is prepared: Prepare has nothing to do and starts no run.
            int runs = app.database().dsl().fetchCount(PREPARATION_RUN);
            var nothing = app.preparations().prepare("bob");
            assertNull(nothing.runId());
            assertEquals(runs, app.database().dsl().fetchCount(PREPARATION_RUN));
        }
    }

    @Test
    void prepare_reruns_a_prepared_module_whose_producer_changed_and_only_those_P11() {
        var env = new TestEnvironment("11.16.1")
                .module("Core").module("Mid", "Core").module("Top", "Mid").module("Side", "Core").module("Lone");
        try (var app = imported(env)) {
            assertEquals(RunStatus.SUCCEEDED, upgradeAndRun(app, "11.17.0").status());
            var lone = Builds.build(app, "Lone", "11.17.0");

            app.uploader().upload(env.writeChanged(dir.resolve("v2"), "Mid", 2), "bob");
            assertTrue(app.publisher().publish(List.of("Mid"), "bob").allPublished());
            var afterMid = runToEnd(app, app.preparations().prepare("bob").runId());
            assertEquals(Set.of("Top"), modules(afterMid).keySet(), "Top's producer changed; nothing else did");
            assertEquals(RunStatus.SUCCEEDED, afterMid.status());

            app.uploader().upload(env.writeChanged(dir.resolve("v3"), "Core", 3), "bob");
            assertTrue(app.publisher().publish(List.of("Core"), "bob").allPublished());
            var afterCore = runToEnd(app, app.preparations().prepare("bob").runId());
            assertEquals(Set.of("Mid", "Side", "Top"), modules(afterCore).keySet(), "Core's consumers, transitively");
            assertEquals(RunStatus.SUCCEEDED, afterCore.status());
            assertEquals(lone.getBuiltAt(), Builds.build(app, "Lone", "11.17.0").getBuiltAt(), "Lone was never compiled again");
        }
    }

    @Test
    void prepare_reruns_the_modules_a_run_left_pending_and_not_the_prepared_ones_P11() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Mid", "Core").module("Top", "Mid");
        try (var app = imported(env)) {
            TestEnvironment.setGroupSize(app, 1);
            var started = app.preparations().upgrade("11.17.0", "alice");
            var driver = new GroupDriver(app, started.runId());
            assertTrue(driver.prepare(1, GroupDriver.StopAfter.NOTHING));
            // The run stops on an internal error, as the worker ends it: Mid and Top are left pending.
            app.database().transaction(tx -> new RunRepository(tx).finish(started.runId(), "IllegalStateException: disk full",
                    OffsetDateTime.now()));
            var ended = new RunQueries(app.database().dsl()).run(started.runId(), true);
            assertEquals(RunStatus.FAILED, ended.status());
            assertEquals(2, ended.counts().pending());

            var retry = runToEnd(app, app.preparations().prepare("bob").runId());
            assertEquals(Set.of("Mid", "Top"), modules(retry).keySet());
            assertEquals(RunStatus.SUCCEEDED, retry.status());
            assertEquals(started.runId(), Builds.build(app, "Core", "11.17.0").getRunId());
        }
    }

    @Test
    void groups_hold_producers_before_consumers_most_referenced_first_with_cycles_together_P6() {
        var env = new TestEnvironment("11.16.1")
                .module("Core").module("Util").module("Base").module("Lone")
                .module("A1", "Core", "Util").module("A2", "Core", "Util").module("A3", "Core").module("A4", "Core")
                .module("B1", "Core", "Base")
                .module("CycX", "Core", "CycY").module("CycY", "CycX")
                .module("Top", "A1", "CycY");
        try (var app = imported(env)) {
            TestEnvironment.setGroupSize(app, 3);
            var run = upgradeAndRun(app, "11.17.0");
            assertEquals(RunStatus.SUCCEEDED, run.status());

            var first = run.groups().get(0).modules().stream().map(RunView.ModuleView::name).toList();
            assertEquals(List.of("Core", "Util", "Base"), first, "most referenced first: 6, 2 and 1 consumers");
            var group = groupOf(run);
            var snapshot = EnvironmentSnapshot.load(app.database().dsl(), PlatformVersion.parseOrNull("11.17.0"));
            for (String consumer : group.keySet()) {
                for (String producer : snapshot.module(consumer).publishedProducers()) {
                    boolean sameCycle = snapshot.publishedGraph().unitOf(consumer).contains(producer);
                    assertTrue(sameCycle ? group.get(producer).equals(group.get(consumer)) : group.get(producer) < group.get(consumer),
                            producer + " (group " + group.get(producer) + ") before its consumer " + consumer + " (group "
                                    + group.get(consumer) + ")");
                }
            }
            assertEquals(group.get("CycX"), group.get("CycY"));
            run.groups().forEach(g -> assertTrue(g.modules().size() <= 3, "group " + g.seq() + " has " + g.modules().size()));
            assertEquals(12, group.size());
        }
    }

    @Test
    void every_group_goes_through_its_five_steps_each_with_its_start_and_end_in_order_P13() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Mid", "Core").module("Top", "Mid").module("Lone")
                .failing("Legacy", "Core");
        try (var app = imported(env)) {
            TestEnvironment.setGroupSize(app, 2);
            var started = app.preparations().upgrade("11.17.0", "alice");

            // While a group is in progress its steps show how far it is.
            var driver = new GroupDriver(app, started.runId());
            driver.prepare(1, GroupDriver.StopAfter.LOCK);
            var inProgress = new RunQueries(app.database().dsl()).run(started.runId(), true).groups().get(0);
            assertEquals(GroupStatus.RUNNING, inProgress.status());
            var steps = inProgress.steps();
            assertNotNull(steps.get(0).finishedAt());
            assertNotNull(steps.get(1).startedAt());
            assertNull(steps.get(1).finishedAt());
            assertNull(steps.get(2).startedAt());
            assertNull(steps.get(4).startedAt());
            driver.dieLikeAKilledProcess();

            var run = runToEnd(app, started.runId());
            assertEquals(3, run.groups().size());
            for (var g : run.groups()) {
                assertEquals(GroupStatus.DONE, g.status());
                assertEquals(List.of("lock modules", "update references", "compile", "save compilations", "unlock"),
                        g.steps().stream().map(RunView.StepView::name).toList());
                var previousEnd = g.startedAt();
                for (var step : g.steps()) {
                    assertNotNull(step.startedAt(), "group " + g.seq() + " " + step.name());
                    assertNotNull(step.finishedAt(), "group " + g.seq() + " " + step.name());
                    assertFalse(step.startedAt().isBefore(previousEnd), "group " + g.seq() + ": " + step.name() + " starts after the step before");
                    assertFalse(step.finishedAt().isBefore(step.startedAt()), "group " + g.seq() + ": " + step.name());
                    previousEnd = step.finishedAt();
                }
                assertFalse(g.finishedAt().isBefore(previousEnd), "group " + g.seq() + " ends after its last step");
            }
        }
    }

    @Test
    void twenty_concurrent_prepares_create_exactly_one_run() throws Exception {
        var env = new TestEnvironment("11.16.1").module("Core").failing("Legacy", "Core").module("UsesLegacy", "Legacy");
        try (var app = imported(env)) {
            assertEquals(RunStatus.FAILED, upgradeAndRun(app, "11.17.0").status());
            var pool = Executors.newFixedThreadPool(20);
            try {
                var go = new CountDownLatch(1);
                var futures = new ArrayList<Future<Long>>();
                for (int i = 0; i < 20; i++) {
                    String actor = "admin" + i;
                    futures.add(pool.submit(() -> {
                        go.await();
                        return app.preparations().prepare(actor).runId();
                    }));
                }
                go.countDown();
                var created = new TreeSet<Long>();
                int refused = 0;
                for (var future : futures) {
                    try {
                        created.add(future.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        var cause = e.getCause();
                        assertTrue(cause instanceof ModprepException m && m.kind() == ModprepException.Kind.REFUSED
                                && m.getMessage().contains("is in progress"), String.valueOf(cause));
                        refused++;
                    }
                }
                assertEquals(1, created.size(), "one run: " + created);
                assertEquals(19, refused);
                var dsl = app.database().dsl();
                assertEquals(2, dsl.fetchCount(PREPARATION_RUN));
                assertEquals(1, dsl.fetchCount(PREPARATION_RUN, PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING)));
                assertEquals(2, dsl.fetchCount(RUN_MODULE, RUN_MODULE.RUN_ID.eq(created.first())));
                assertEquals(0, dsl.fetchCount(MODULE_LOCK));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
