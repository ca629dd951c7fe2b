package modprep.environment;

import static modprep.db.schema.Tables.MODULE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.preparation.WorkerKind;
import modprep.status.BuildOrigin;
import modprep.status.RunStatus;
import modprep.testing.Builds;
import modprep.testing.DatabaseDump;
import modprep.testing.RowLock;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publish: compile the latest code with the current version and deploy it, or change nothing. */
class PublishTest {
    @TempDir
    Path dir;

    private final TestEnvironment env = new TestEnvironment("11.17.0").module("Core").module("Web", "Core").module("Shop", "Web");

    private Modprep imported() {
        var app = TestEnvironment.newModprep();
        app.importer().importFolder(env.write(dir.resolve("env")), "test");
        return app;
    }

    @Test
    void publishing_new_code_compiles_it_with_the_current_version_and_deploys_it() {
        try (var app = imported()) {
            var before = Builds.module(app, "Web");
            var upload = app.uploader().upload(env.writeChanged(dir.resolve("v2"), "Web", 2), "bob");
            assertEquals(2, upload.codeVersion());
            assertEquals(before.getRunningJar(), Builds.module(app, "Web").getRunningJar(), "an upload deploys nothing");

            var report = app.publisher().publish(List.of("Web"), "bob");
            assertTrue(report.allPublished(), report.toString());
            var after = Builds.module(app, "Web");
            assertEquals(after.getLatestCodeId(), after.getPublishedCodeId());
            assertEquals("bob", after.getPublishedBy());
            assertEquals(before.getRowVersion() + 1, after.getRowVersion());
            var build = Builds.build(app, "Web", "11.17.0");
            assertEquals(BuildOrigin.PUBLISHED, build.getOrigin());
            assertEquals(build.getJarSha256(), after.getRunningJar());
            assertTrue(Builds.jarMentions(app, after.getRunningJar(), "m/web/Revision"), "the new code runs");
        }
    }

    @Test
    void a_publish_that_does_not_compile_reports_javacs_errors_and_changes_nothing_for_the_module_or_its_consumers() {
        try (var app = imported()) {
            // The old call, removed in 11.17.0: a real compile error.
            new TestEnvironment("11.17.0").failing("Web", "Core").write(dir.resolve("bad"));
            app.uploader().upload(dir.resolve("bad/modules/Web"), "bob");
            var web = Builds.module(app, "Web");
            var shop = Builds.module(app, "Shop");

            var report = app.publisher().publish(List.of("Web", "Shop"), "bob");
            assertFalse(report.allPublished());
            var failed = report.results().stream().filter(r -> r.module().equals("Web")).findFirst().orElseThrow();
            assertEquals(Publisher.Status.FAILED, failed.status());
            var error = failed.errors().get(0);
            assertEquals("src/m/web/Api.java", error.file());
            assertEquals(7, error.line());
            assertTrue(error.message().contains("cannot find symbol"), error.message());
            var skipped = report.results().stream().filter(r -> r.module().equals("Shop")).findFirst().orElseThrow();
            assertEquals(Publisher.Status.NOT_PUBLISHED, skipped.status());
            assertTrue(skipped.detail().contains("it uses Web, whose publish failed"), skipped.detail());

            assertEquals(web, Builds.module(app, "Web"), "Web still runs what it ran");
            assertEquals(shop, Builds.module(app, "Shop"));
        }
    }

    @Test
    void publishing_a_module_that_does_not_exist_is_refused_and_changes_nothing() {
        try (var app = imported()) {
            var before = DatabaseDump.of(app);
            var error = assertThrows(ModprepException.class, () -> app.publisher().publish(List.of("Web", "Ghost"), "bob"));
            assertEquals(ModprepException.Kind.NOT_FOUND, error.kind());
            assertTrue(error.getMessage().contains("Ghost"), error.getMessage());
            assertEquals(before, DatabaseDump.of(app));
        }
    }

    @Test
    void two_concurrent_publishes_of_one_module_give_one_success_and_one_refusal() throws Exception {
        try (var app = imported()) {
            app.uploader().upload(env.writeChanged(dir.resolve("v2"), "Web", 2), "bob");
            int rowVersion = Builds.module(app, "Web").getRowVersion();
            var pool = Executors.newFixedThreadPool(2);
            // Both publishes are held at the module's row until both have read it: they overlap every time.
            try (var rowLock = RowLock.take(app.database(), "SELECT id FROM module WHERE name = 'Web' FOR UPDATE")) {
                var futures = new ArrayList<Future<Publisher.Result>>();
                for (String actor : List.of("bob", "carol")) {
                    futures.add(pool.submit(() -> app.publisher().publish(List.of("Web"), actor).results().get(0)));
                }
                rowLock.awaitWaiting(2);
                rowLock.release();
                var results = new ArrayList<Publisher.Result>();
                for (var future : futures) {
                    results.add(future.get());
                }
                var published = results.stream().filter(r -> r.status() == Publisher.Status.PUBLISHED).toList();
                var refused = results.stream().filter(r -> r.status() == Publisher.Status.NOT_PUBLISHED).toList();
                assertEquals(1, published.size(), results.toString());
                assertEquals(1, refused.size(), results.toString());
                assertTrue(refused.get(0).detail().contains("was refused: it was published meanwhile by"), refused.get(0).detail());
                assertTrue(refused.get(0).detail().contains("Nothing was changed"), refused.get(0).detail());
                var web = Builds.module(app, "Web");
                assertEquals(rowVersion + 1, web.getRowVersion(), "published exactly once");
                assertEquals(published.get(0).jarSha256(), web.getRunningJar());
                assertEquals(1, app.database().dsl().fetchCount(MODULE, MODULE.NAME.eq("Web")));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void a_fixed_module_on_a_reference_cycle_is_published_together_with_its_cycle_P8_P10() {
        var cycle = new TestEnvironment("11.16.1").module("Core").failing("CycA", "Core", "CycB").module("CycB", "CycA")
                .module("User", "CycB");
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(cycle.write(dir.resolve("cycle")), "test");
            var started = app.preparations().upgrade("11.17.0", "alice");
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                var run = TestEnvironment.awaitEnd(app, started.runId(), java.time.Duration.ofSeconds(60));
                assertEquals(List.of("CycA"), TestEnvironment.byStatus(run).get("failed"));
                assertEquals(List.of("CycB", "User"), TestEnvironment.byStatus(run).get("blocked"));
            }
            app.uploader().upload(cycle.writeFix(dir.resolve("fixes"), "CycA"), "bob");
            var alone = assertThrows(ModprepException.class, () -> app.publisher().publish(List.of("CycA"), "bob"));
            assertTrue(alone.getMessage().contains("CycB (it is blocked by CycA"), alone.getMessage());

            var report = app.publisher().publish(List.of("CycA", "CycB"), "bob");
            assertTrue(report.allPublished(), report.toString());
            var a = Builds.build(app, "CycA", "11.17.0");
            var b = Builds.build(app, "CycB", "11.17.0");
            assertEquals(BuildOrigin.PUBLISHED, a.getOrigin());
            assertEquals(BuildOrigin.PUBLISHED, b.getOrigin());
            var retry = app.preparations().prepare("bob");
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                var run = TestEnvironment.awaitEnd(app, retry.runId(), java.time.Duration.ofSeconds(60));
                assertEquals(RunStatus.SUCCEEDED, run.status());
                assertEquals(List.of("User"), TestEnvironment.byStatus(run).get("prepared"));
            }
        }
    }

    @Test
    void publish_all_publishes_producers_before_consumers() {
        try (var app = imported()) {
            app.uploader().upload(env.writeChanged(dir.resolve("v2"), "Core", 2), "bob");
            var report = app.publisher().publishAll("bob");
            assertTrue(report.allPublished(), report.toString());
            var core = Builds.build(app, "Core", "11.17.0");
            var web = Builds.build(app, "Web", "11.17.0");
            var snapshot = EnvironmentSnapshot.load(app.database().dsl(), modprep.platform.PlatformVersion.parseOrNull("11.17.0"));
            var expected = BuildInputs.of(snapshot.version(), java.util.Map.of("Web", snapshot.module("Web").publishedSourcesSha256()),
                    List.of(new BuildInputs.ProducerBuild("Core", core.getJarSha256(), core.getInputsSha256())));
            assertEquals(expected.get("Web"), web.getInputsSha256(), "Web compiled against Core's new compilation");
            assertTrue(snapshot.isCurrent("Shop"));
        }
    }
}
