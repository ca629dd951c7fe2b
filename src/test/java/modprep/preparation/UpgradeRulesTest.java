package modprep.preparation;

import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PLATFORM_UPGRADE;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_MODULE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.readmodel.ModuleReports;
import modprep.readmodel.RunQueries;
import modprep.status.RunStatus;
import modprep.status.RunTrigger;
import modprep.testing.DatabaseDump;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** P1, P2, P4, P5: what an upgrade does, and which upgrades are refused. */
class UpgradeRulesTest {
    @TempDir
    Path dir;

    private static TestEnvironment small(String version) {
        return new TestEnvironment(version).module("Core").module("Web", "Core").uploaded("Draft", "Core");
    }

    private Modprep imported(TestEnvironment env) {
        var app = TestEnvironment.newModprep();
        app.importer().importFolder(env.write(dir.resolve("env")), "test");
        return app;
    }

    @Test
    void upgrading_makes_the_new_version_current_and_starts_a_run_at_once_in_the_background_P1() {
        try (var app = imported(small("11.16.1"))) {
            var started = app.preparations().upgrade("11.17.0", "alice");

            var dsl = app.database().dsl();
            assertEquals("11.17.0", dsl.select(ENVIRONMENT.PLATFORM_VERSION).from(ENVIRONMENT).fetchOne(ENVIRONMENT.PLATFORM_VERSION));
            assertEquals("11.16.1", started.from());
            var run = dsl.selectFrom(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(started.runId())).fetchOne();
            assertEquals(RunStatus.RUNNING, run.getStatus(), "the run starts with the upgrade, before any worker picks it up");
            assertEquals(RunTrigger.UPGRADE, run.getTriggerKind());
            assertEquals("alice", run.getStartedBy());
            assertEquals("11.16.1", run.getFromVersion());
            assertEquals("11.17.0", run.getToVersion());
            var upgrade = dsl.selectFrom(PLATFORM_UPGRADE).fetchSingle();
            assertEquals(started.runId(), upgrade.getRunId());
            assertEquals("alice", upgrade.getUpgradedBy());

            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                var ended = TestEnvironment.awaitEnd(app, started.runId(), Duration.ofSeconds(60));
                assertEquals(RunStatus.SUCCEEDED, ended.status());
                assertEquals(List.of("Core", "Web"), TestEnvironment.byStatus(ended).get("prepared"));
            }
        }
    }

    @Test
    void only_published_modules_are_prepared_and_the_others_are_listed_with_a_reason_P2() {
        try (var app = imported(small("11.16.1"))) {
            var started = app.preparations().upgrade("11.17.0", "alice");
            assertEquals(2, started.modules());
            assertEquals(1, started.excluded());
            var planned = app.database().dsl().select(RUN_MODULE.MODULE_NAME).from(RUN_MODULE)
                    .where(RUN_MODULE.RUN_ID.eq(started.runId())).fetchSet(RUN_MODULE.MODULE_NAME);
            assertEquals(Set.of("Core", "Web"), planned);
            var run = new RunQueries(app.database().dsl()).run(started.runId(), true);
            assertEquals(1, run.excluded().size());
            assertEquals("Draft", run.excluded().get(0).name());
            assertTrue(run.excluded().get(0).reason().contains("never published"), run.excluded().get(0).reason());
            assertEquals("uploaded", new ModuleReports(app.database().dsl()).report("Draft").statusForCurrentVersion().code());
        }
    }

    @Test
    void a_downgrade_is_refused_and_nothing_changes_P2() {
        try (var app = imported(small("11.16.1"))) {
            var before = DatabaseDump.of(app);
            var refused = assertThrows(ModprepException.class, () -> app.preparations().upgrade("11.14.1", "alice"));
            assertEquals(ModprepException.Kind.REFUSED, refused.kind());
            assertTrue(refused.getMessage().contains("downgrade"), refused.getMessage());
            assertTrue(refused.getMessage().contains("11.16.1") && refused.getMessage().contains("11.14.1"), refused.getMessage());
            assertEquals(before, DatabaseDump.of(app));
        }
    }

    @Test
    void upgrading_to_the_version_already_running_is_refused_and_nothing_changes_P2() {
        try (var app = imported(small("11.16.1"))) {
            var before = DatabaseDump.of(app);
            var refused = assertThrows(ModprepException.class, () -> app.preparations().upgrade("11.16.1", "alice"));
            assertEquals(ModprepException.Kind.REFUSED, refused.kind());
            assertTrue(refused.getMessage().contains("already runs platform 11.16.1"), refused.getMessage());
            assertEquals(before, DatabaseDump.of(app));
        }
    }

    @Test
    void an_unknown_version_is_refused_listing_the_known_ones_and_nothing_changes() {
        try (var app = imported(small("11.16.1"))) {
            var before = DatabaseDump.of(app);
            for (String unknown : List.of("11.15.0", "12.0.0", "eleven", "")) {
                var refused = assertThrows(ModprepException.class, () -> app.preparations().upgrade(unknown, "alice"));
                assertEquals(ModprepException.Kind.BAD_INPUT, refused.kind());
                assertTrue(refused.getMessage().contains("unknown platform version '" + unknown + "'"), refused.getMessage());
                assertTrue(refused.getMessage().contains("11.9.0, 11.10.0, 11.11.0, 11.14.1, 11.16.1, 11.17.0, 11.18.0, 11.19.0"),
                        refused.getMessage());
            }
            assertEquals(before, DatabaseDump.of(app));
        }
    }

    @Test
    void an_upgrade_is_refused_while_a_run_is_in_progress_and_nothing_changes() {
        try (var app = imported(small("11.14.1"))) {
            var first = app.preparations().upgrade("11.16.1", "alice");
            var before = DatabaseDump.of(app);
            var refused = assertThrows(ModprepException.class, () -> app.preparations().upgrade("11.17.0", "bob"));
            assertEquals(ModprepException.Kind.REFUSED, refused.kind());
            assertTrue(refused.getMessage().contains("preparation run #" + first.runId() + " (started by alice) is in progress"),
                    refused.getMessage());
            assertEquals(before, DatabaseDump.of(app));
        }
    }

    /** P4: the mode follows the target version, and the environment's "progressive preparation" setting. */
    @ParameterizedTest(name = "{0} → {1}, progressive setting {2}: {3}")
    @CsvSource({
            "11.10.0, 11.14.1, false, sequential",
            "11.10.0, 11.14.1, true,  sequential",
            "11.14.1, 11.16.1, false, sequential",
            "11.14.1, 11.16.1, true,  progressive",
            "11.16.1, 11.17.0, false, progressive",
            "11.16.1, 11.18.0, false, progressive",
            "11.17.0, 11.18.0, true,  progressive",
            "11.18.0, 11.19.0, false, progressive",
    })
    void the_mode_is_decided_by_the_target_version_P4(String from, String to, boolean progressiveSetting, String mode) {
        var env = small(from);
        if (progressiveSetting) {
            env.progressive();
        }
        try (var app = imported(env)) {
            var started = app.preparations().upgrade(to, "alice");
            assertEquals(mode, started.mode().code());
            var dsl = app.database().dsl();
            assertEquals(mode, dsl.select(PREPARATION_RUN.MODE).from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(started.runId()))
                    .fetchOne(PREPARATION_RUN.MODE).code());
            // Sequential locks every module, uploaded ones included, for the whole run; progressive nothing yet.
            int locks = dsl.fetchCount(MODULE_LOCK);
            assertEquals(mode.equals("sequential") ? 3 : 0, locks);
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                var run = TestEnvironment.awaitEnd(app, started.runId(), Duration.ofSeconds(60));
                assertEquals(RunStatus.SUCCEEDED, run.status());
                assertEquals(0, dsl.fetchCount(MODULE_LOCK), "no lock outlives its run");
            }
        }
    }

    @Test
    void below_11_12_0_there_is_no_run_every_module_is_publish_required_and_publish_all_then_works_P4() {
        try (var app = imported(small("11.10.0"))) {
            var started = app.preparations().upgrade("11.11.0", "alice");
            assertNull(started.runId());
            assertTrue(started.publishRequired());
            assertFalse(started.publishAllRecommended(), "P5 applies to 11.12.0 and later only");
            var dsl = app.database().dsl();
            assertEquals(0, dsl.fetchCount(PREPARATION_RUN));
            assertEquals("11.11.0", dsl.select(ENVIRONMENT.PLATFORM_VERSION).from(ENVIRONMENT).fetchOne(ENVIRONMENT.PLATFORM_VERSION));
            assertEquals(Set.of("Core", "Web"), dsl.select(MODULE.NAME).from(MODULE).where(MODULE.PUBLISH_REQUIRED.isTrue())
                    .fetchSet(MODULE.NAME));
            assertEquals("publish-required", new ModuleReports(dsl).report("Web").statusForCurrentVersion().code());
            var refused = assertThrows(ModprepException.class, () -> app.preparations().prepare("bob"));
            assertTrue(refused.getMessage().contains("has no modules preparation"), refused.getMessage());

            var report = app.publisher().publishAll("bob");
            assertTrue(report.allPublished(), report.toString());
            assertEquals(0, dsl.fetchCount(MODULE, MODULE.PUBLISH_REQUIRED.isTrue()));
            assertEquals(Set.of("11.11.0"), dsl.selectDistinct(MODULE.RUNNING_VERSION).from(MODULE).fetchSet(MODULE.RUNNING_VERSION));
            assertEquals("running", new ModuleReports(dsl).report("Web").statusForCurrentVersion().code());
        }
    }

    /** P5: from 11.10.0 or earlier to 11.12.0 or later, publishing all is recommended. */
    @ParameterizedTest(name = "{0} → {1}: publish all recommended {2}")
    @CsvSource({
            "11.9.0,  11.17.0, true",
            "11.10.0, 11.14.1, true",
            "11.10.0, 11.11.0, false",
            "11.11.0, 11.14.1, false",
            "11.14.1, 11.17.0, false",
    })
    void upgrading_from_11_10_0_or_earlier_recommends_publishing_all_P5(String from, String to, boolean recommended) {
        try (var app = imported(small(from))) {
            var started = app.preparations().upgrade(to, "alice");
            assertEquals(recommended, started.publishAllRecommended());
            if (started.runId() != null) {
                assertEquals(recommended, new RunQueries(app.database().dsl()).run(started.runId(), false).publishAllRecommended());
            }
        }
    }
}
