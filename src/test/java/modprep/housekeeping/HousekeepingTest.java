package modprep.housekeeping;

import static modprep.db.schema.Tables.AUDIT_EVENT;
import static modprep.db.schema.Tables.COMPILATION;
import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.PLATFORM_UPGRADE;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;
import static modprep.db.schema.Tables.RUN_MODULE;
import static modprep.db.schema.Tables.STORED_BLOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import modprep.Modprep;
import modprep.access.Audit;
import modprep.db.Database;
import modprep.preparation.WorkerKind;
import modprep.readmodel.StatusBoard;
import modprep.status.RunStatus;
import modprep.testing.DatabaseDump;
import modprep.testing.TestEnvironment;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 5, on an H2 database in a data folder: retention removes old finished runs, old audit
 * events and compilations no module uses any more, and never what a module's builds use or a run in
 * progress.
 */
class HousekeepingTest {
    private static final Duration MONTH = Duration.ofDays(30);
    private static final Retention MONTH_EACH = new Retention(MONTH, MONTH, MONTH);

    @TempDir
    Path dir;

    /** Housekeeping a year from now: everything made by the test is eleven months past a month's retention. */
    private static Housekeeping aYearLater(Modprep app) {
        return new Housekeeping(app.database(), Clock.offset(Clock.systemUTC(), Duration.ofDays(365)));
    }

    /** What modules use: their rows, code, builds for the current version, and every blob those name, by content. */
    private static Map<String, Object> inUse(Modprep app) {
        DSLContext dsl = app.database().dsl();
        String current = dsl.select(modprep.db.schema.Tables.ENVIRONMENT.PLATFORM_VERSION).from(modprep.db.schema.Tables.ENVIRONMENT).fetchOne().value1();
        var dump = DatabaseDump.of(dsl);
        return Map.of("module", dump.get("module"), "module_code", dump.get("module_code"),
                "current builds", dsl.selectFrom(MODULE_BUILD).where(MODULE_BUILD.PLATFORM_VERSION.eq(current))
                        .orderBy(MODULE_BUILD.MODULE_ID).fetch().formatCSV(),
                "statuses", new java.util.TreeMap<>(new StatusBoard(app.database()).current().statuses()).toString(),
                "jars and sources", dsl.select(STORED_BLOB.SHA256, STORED_BLOB.SIZE_BYTES).from(STORED_BLOB)
                        .where(STORED_BLOB.SHA256.in(dsl.select(MODULE.RUNNING_JAR).from(MODULE))
                                .or(STORED_BLOB.SHA256.in(dsl.select(MODULE_BUILD.JAR_SHA256).from(MODULE_BUILD)
                                        .where(MODULE_BUILD.PLATFORM_VERSION.eq(current))))
                                .or(STORED_BLOB.SHA256.in(dsl.select(modprep.db.schema.Tables.MODULE_CODE.SOURCES_SHA256)
                                        .from(modprep.db.schema.Tables.MODULE_CODE))))
                        .orderBy(STORED_BLOB.SHA256).fetch().formatCSV());
    }

    @Test
    void old_finished_runs_audit_events_and_unused_compilations_go_but_nothing_in_use_and_no_run_in_progress() {
        var env = new TestEnvironment("11.16.1").module("Core").failing("Legacy", "Core").module("UsesLegacy", "Legacy")
                .module("Independent", "Core").uploaded("Draft", "Core");
        try (var app = new Modprep(Database.open(dir.resolve("data")), Clock.systemUTC(), 2)) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            app.audit().record(new Audit.Actor("alice", "cli"), "import", "env", () -> null);
            long first;
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                first = app.preparations().upgrade("11.17.0", "alice").runId();
                assertEquals(RunStatus.FAILED, TestEnvironment.awaitEnd(app, first, Duration.ofSeconds(60)).status());
                app.uploader().upload(env.writeFix(dir.resolve("fixes"), "Legacy"), "bob");
                assertTrue(app.publisher().publish(List.of("Legacy"), "bob").allPublished());
                long second = app.preparations().prepare("bob").runId();
                assertEquals(RunStatus.SUCCEEDED, TestEnvironment.awaitEnd(app, second, Duration.ofSeconds(60)).status());
            }
            // A third run, in progress: no worker works on it.
            long third = app.preparations().upgrade("11.18.0", "alice").runId();
            var dsl = app.database().dsl();
            int thirdsModules = dsl.fetchCount(RUN_MODULE, RUN_MODULE.RUN_ID.eq(third));
            var housekeeping = aYearLater(app);

            var keptForAYearAndAMonth = new Retention(Duration.ofDays(400), Duration.ofDays(400), Duration.ofDays(400));
            assertTrue(housekeeping.removeOlderThan(keptForAYearAndAMonth).nothing(), "nothing is older than 400 days");
            assertTrue(housekeeping.removeOlderThan(Retention.KEEP_EVERYTHING).nothing());

            var before = DatabaseDump.of(app);
            var wouldGo = housekeeping.wouldRemove(MONTH_EACH);
            assertEquals(before, DatabaseDump.of(app), "a dry run changes nothing");
            var gone = housekeeping.removeOlderThan(MONTH_EACH);
            assertEquals(wouldGo, gone, "a dry run finds what goes");
            assertEquals(List.of(first, third - 1), gone.runs(), "finished runs go; the one in progress stays");
            assertTrue(gone.auditEvents() >= 1);
            assertEquals(0, dsl.fetchCount(AUDIT_EVENT));
            assertTrue(gone.compilations().nothing(), "no compilation goes while a run is in progress");
            assertEquals("no compilations (run #" + third + " is in progress)", gone.compilations().summary());
            assertEquals(List.of(third), dsl.select(PREPARATION_RUN.ID).from(PREPARATION_RUN).fetch(PREPARATION_RUN.ID));
            assertEquals(thirdsModules, dsl.fetchCount(RUN_MODULE), "the removed runs' modules' rows went with them");
            assertEquals(0, dsl.fetchCount(RUN_GROUP, RUN_GROUP.RUN_ID.ne(third)));
            assertEquals(0, dsl.fetchCount(GROUP_STEP, GROUP_STEP.RUN_ID.ne(third)));
            assertNull(dsl.select(PLATFORM_UPGRADE.RUN_ID).from(PLATFORM_UPGRADE).where(PLATFORM_UPGRADE.TO_VERSION.eq("11.17.0"))
                    .fetchOne().value1(), "the upgrade history stays, no longer linked to its run");

            // The third run ends; then old compilations go, and what modules use stays.
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                TestEnvironment.awaitEnd(app, third, Duration.ofSeconds(60));
            }
            var used = inUse(app);
            int buildsBefore = dsl.fetchCount(MODULE_BUILD);
            int compilationsBefore = dsl.fetchCount(COMPILATION);
            var compiled = housekeeping.removeOlderThan(MONTH_EACH).compilations();
            assertTrue(compiled.moduleBuilds() > 0 && compiled.compilations() > 0 && compiled.blobs() > 0, compiled.summary());
            assertEquals(buildsBefore - compiled.moduleBuilds(), dsl.fetchCount(MODULE_BUILD));
            assertEquals(compilationsBefore - compiled.compilations(), dsl.fetchCount(COMPILATION));
            assertEquals(used, inUse(app), "what modules use is all there");
            assertEquals(List.of(third), dsl.select(PREPARATION_RUN.ID).from(PREPARATION_RUN).fetch(PREPARATION_RUN.ID),
                    "the latest run stays, however old");
            assertEquals(0, dsl.fetchCount(MODULE_BUILD, MODULE_BUILD.INPUTS_SHA256.notIn(dsl.select(COMPILATION.INPUTS_SHA256).from(COMPILATION))),
                    "every build left still has its cached compilation");
            assertTrue(housekeeping.removeOlderThan(MONTH_EACH).nothing(), "a second pass finds nothing more");

            // The environment goes on working on what is left: a module published again compiles and is current.
            assertTrue(app.publisher().publish(List.of("Core"), "bob").allPublished());
        }
    }

    @Test
    void a_retention_reads_in_the_log_in_whole_days_hours_or_minutes() {
        assertEquals("90d", Retention.describe(Duration.ofDays(90)));
        assertEquals("36h", Retention.describe(Duration.ofHours(36)));
        assertEquals("forever", Retention.describe(null));
    }
}
