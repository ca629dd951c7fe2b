package modprep.db;

import static modprep.db.schema.Tables.COMPILATION;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipInputStream;
import modprep.Modprep;
import modprep.Json;
import modprep.db.schema.tables.records.ModuleBuildRecord;
import modprep.preparation.WorkerKind;
import modprep.status.GroupStatus;
import modprep.status.RunStatus;
import modprep.testing.DatabaseDump;
import modprep.testing.StoredRows;
import modprep.testing.TestEnvironment;
import modprep.web.WebApp;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data folders made by the released modprep (c4f5d61, migrations V1..V4; how they were made is in
 * src/test/resources/release-c4f5d61/README.txt) open with the current code: Flyway applies every newer
 * migration, every row and column the release stored is still there, unchanged, and the work goes on (a
 * Prepare after a run that finished with errors; a run whose process was killed -9 resumes).
 */
class ReleasedDataFolderTest {
    private static final String RELEASE = "/release-c4f5d61/";
    private static final List<String> RELEASED_MIGRATIONS = List.of("1", "2", "3", "4");
    // Test-only credentials of finished.zip, made with the release (README.txt).
    private static final String ADMIN_PASSWORD = "compat-admin-1";
    private static final String VIEWER_PASSWORD = "compat-viewer-1";
    private static final String TOKEN = "mp_OV65VRIHGaYGKLrFOnHtFtMR32sPPn17rOAh79ijn4U";
    private static final Duration RUN_BOUND = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    /** What the release left in a data folder, read with plain JDBC before the current code opens it. */
    private record Released(Map<String, StoredRows.Table> tables, List<String> migrations, Map<String, String> run1) {
        static Released read(Path data) throws SQLException {
            try (var connection = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("modprep").toAbsolutePath(), "sa", "")) {
                return new Released(StoredRows.of(connection),
                        strings(connection, "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\""),
                        pairs(connection, "SELECT MODULE_NAME, STATUS FROM RUN_MODULE WHERE RUN_ID = 1"));
            }
        }
    }

    @Test
    void a_folder_whose_run_finished_with_errors_opens_migrated_keeps_every_row_and_its_Prepare_compiles_only_what_did_not_prepare_P11()
            throws Exception {
        Path data = unzip("finished.zip", dir.resolve("finished"));
        var released = Released.read(data);
        try (var app = Modprep.open(data)) {
            assertMigratedKeepingEverything(app, released);
            var dsl = app.database().dsl();

            // The release's token, made before tokens expired, lives the default lifetime from the upgrade on.
            var token = app.tokens().list().get(0);
            assertEquals(modprep.access.TokenState.USABLE, token.state());
            assertTrue(token.expiresAt().isAfter(java.time.OffsetDateTime.now().plusDays(89)), "expires " + token.expiresAt());

            // Run #1 as the console's JSON API shows it, to the release's API token: what the release stored.
            var web = new WebApp(app, () -> { }).create().start("127.0.0.1", 0);
            try {
                var response = get(web.port(), "/api/preparations/1", "Bearer " + TOKEN);
                assertEquals(200, response.statusCode(), response.body());
                var run = Json.MAPPER.readTree(response.body());
                assertEquals("failed", run.path("status").asText());
                assertEquals("11.16.1 11.17.0", run.path("fromVersion").asText() + " " + run.path("toVersion").asText());
                assertEquals(Json.MAPPER.readTree("{\"total\":23,\"prepared\":20,\"failed\":1,\"blocked\":2,\"pending\":0}"), run.path("counts"));
                assertEquals(7, run.path("groups").size());
                var statuses = new TreeMap<String, String>();
                for (var group : run.path("groups")) {
                    assertEquals("done", group.path("status").asText(), "group " + group.path("seq"));
                    assertEquals(5, group.path("steps").size(), "group " + group.path("seq") + "'s steps (P13)");
                    group.path("steps").forEach(step -> assertTrue(step.hasNonNull("finishedAt"), "group " + group.path("seq") + ": " + step));
                    for (var module : group.path("modules")) {
                        statuses.put(module.path("name").asText(), module.path("status").asText());
                        if (module.path("status").asText().equals("blocked")) {
                            assertEquals("Customers_UI", module.path("blockedBy").asText(), module.toString());
                        }
                        if (module.path("status").asText().equals("failed")) {
                            assertTrue(module.path("diagnostics").asText().contains("cannot find symbol"), module.toString());
                        }
                    }
                }
                assertEquals(released.run1(), statuses, "each module's status in run #1, as the release stored it");
                assertEquals("Billing_Rules", run.path("excluded").path(0).path("name").asText());
                assertEquals(1, run.path("excluded").size());

                // Its users' passwords still sign in (HTTP Basic checks them with the stored hashes).
                assertEquals(200, get(web.port(), "/api/status", basic("admin", ADMIN_PASSWORD)).statusCode());
                assertEquals(200, get(web.port(), "/api/status", basic("viewer1", VIEWER_PASSWORD)).statusCode());
                assertEquals(401, get(web.port(), "/api/status", basic("viewer1", ADMIN_PASSWORD)).statusCode());
            } finally {
                web.stop();
            }

            // Prepare: Customers_UI's fix was published with 11.17.0 by the release, so what is left is the two
            // modules it blocked; nothing prepared before is compiled again.
            int compilations = dsl.fetchCount(COMPILATION);
            var builds = builds(dsl);
            var started = app.preparations().prepare("compat-test");
            assertEquals(2, started.modules());
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                var prepare = TestEnvironment.awaitEnd(app, started.runId(), RUN_BOUND);
                assertEquals(RunStatus.SUCCEEDED, prepare.status(), String.valueOf(prepare.internalError()));
                assertEquals(Map.of("prepared", List.of("Customers_Rules", "Customers_Sync")), TestEnvironment.byStatus(prepare));
            }
            assertEquals(compilations + 2, dsl.fetchCount(COMPILATION), "the two blocked modules compiled, once each");
            var after = builds(dsl);
            builds.forEach((key, build) -> assertEquals(build, after.get(key), "compilation " + key + " kept as it was"));
            after.keySet().removeAll(builds.keySet());
            assertEquals(List.of("Customers_Rules@11.17.0", "Customers_Sync@11.17.0"), List.copyOf(after.keySet()));
            assertEquals(0, dsl.fetchCount(MODULE_LOCK), "no lock outlives its run");
        }
    }

    @Test
    void a_folder_whose_upgrade_was_killed_mid_group_opens_migrated_keeps_every_row_and_resumes_to_the_uninterrupted_outcome_P12()
            throws Exception {
        Path data = unzip("interrupted.zip", dir.resolve("interrupted"));
        var released = Released.read(data);
        // The same environment's same upgrade, run to its end by the release without a kill.
        var uninterrupted = Released.read(unzip("finished.zip", dir.resolve("finished"))).run1();
        try (var app = Modprep.open(data)) {
            assertMigratedKeepingEverything(app, released);
            var dsl = app.database().dsl();
            assertEquals(RunStatus.RUNNING, runStatus(dsl));
            assertEquals(Map.of(GroupStatus.DONE, 2, GroupStatus.RUNNING, 1, GroupStatus.PENDING, 9), groups(dsl),
                    "killed in group 3 of 12");
            assertEquals(2, dsl.fetchCount(MODULE_LOCK), "group 3's modules stay locked until the run resumes (P7)");
            var oldBuilds = builds(dsl);
            // Compiled ahead by the killed process (the compilation cache), not yet any module's compilation.
            int compiledAhead = dsl.fetchCount(COMPILATION) - dsl.fetchCount(MODULE_BUILD);
            assertEquals(4, dsl.fetchCount(MODULE_BUILD, MODULE_BUILD.RUN_ID.eq(1L)), "groups 1-2 were prepared by the release");

            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                var run = TestEnvironment.awaitEnd(app, 1, RUN_BOUND);
                assertNull(run.internalError());
                assertEquals(RunStatus.FAILED, run.status(), "finished with errors, as without the kill");
                assertEquals(byStatus(uninterrupted), TestEnvironment.byStatus(run), "each module ends as in the uninterrupted run");
            }
            assertEquals(Map.of(GroupStatus.DONE, 12), groups(dsl), "every group done");
            assertEquals(List.of("Customers_UI"), byStatus(uninterrupted).get("failed"), "the failure is the demo's findByName caller");
            assertEquals(List.of("Customers_Rules", "Customers_Sync"), byStatus(uninterrupted).get("blocked"));
            assertEquals(0, dsl.fetchCount(MODULE_LOCK), "no lock outlives its run");
            assertNull(dsl.select(PREPARATION_RUN.LEASE_OWNER).from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(1L)).fetchOne(PREPARATION_RUN.LEASE_OWNER));
            var after = builds(dsl);
            oldBuilds.forEach((key, build) -> assertEquals(build, after.get(key), "compilation " + key + " kept as it was"));
            assertEquals(dsl.fetchCount(MODULE_BUILD), dsl.fetchCount(COMPILATION), "one compilation per module and version: the "
                    + compiledAhead + " the killed process compiled ahead were used, none was made in vain");
        }
    }

    @Test
    void a_released_folder_without_a_database_password_gets_one_kept_0600_in_a_0700_folder_and_refuses_the_empty_one()
            throws Exception {
        Path data = unzip("finished.zip", dir.resolve("tightened"));
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> modules;
        try (var connection = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("modprep").toAbsolutePath(), "sa", "")) {
            modules = strings(connection, "SELECT COUNT(*) FROM MODULE");
        }
        try (var app = Modprep.open(data)) {
            assertEquals(modules.get(0), String.valueOf(app.database().dsl().fetchCount(MODULE)), "the release's modules, all there");
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        Path password = data.resolve("modprep.password");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));
        String secret = Files.readString(password).strip();
        assertTrue(secret.length() >= 32, "a long random password");
        var refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                () -> DriverManager.getConnection("jdbc:h2:file:" + data.resolve("modprep").toAbsolutePath(), "sa", "").close());
        assertEquals(org.h2.api.ErrorCode.WRONG_USER_OR_PASSWORD, refused.getErrorCode());
        try (var connection = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("modprep").toAbsolutePath(), "sa", secret)) {
            assertEquals(modules, strings(connection, "SELECT COUNT(*) FROM MODULE"));
        }
        try (var app = Modprep.open(data)) {
            assertEquals(secret, Files.readString(password).strip(), "opened again with the kept password, not a new one");
        }
    }

    /** Flyway applied every newer migration, and every table and column of the release kept every row, unchanged. */
    private static void assertMigratedKeepingEverything(Modprep app, Released released) throws SQLException {
        assertEquals(RELEASED_MIGRATIONS, released.migrations(), "the fixture is a folder of the release");
        var info = Flyway.configure().dataSource(app.database().dataSource()).locations("classpath:db/migration").load().info();
        assertEquals(List.of(), Arrays.stream(info.pending()).map(MigrationInfo::getVersion).toList(), "no migration left pending");
        var newer = Arrays.stream(info.all()).filter(m -> m.getVersion().compareTo(MigrationVersion.fromVersion("4")) > 0).toList();
        assertTrue(!newer.isEmpty(), "the current code has migrations newer than the release's");
        for (MigrationInfo migration : info.all()) {
            assertEquals(MigrationState.SUCCESS, migration.getState(), "V" + migration.getVersion() + " " + migration.getDescription());
        }
        try (Connection connection = app.database().dataSource().getConnection()) {
            var history = strings(connection, "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"");
            var expected = new ArrayList<>(RELEASED_MIGRATIONS);
            newer.forEach(m -> expected.add(m.getVersion().getVersion()));
            assertEquals(expected, history, "flyway_schema_history: the release's migrations, then each newer one");
            for (var entry : released.tables().entrySet()) {
                String table = entry.getKey();
                var old = entry.getValue();
                var columns = StoredRows.columns(connection, table);
                assertTrue(columns.containsAll(old.columns()), table + " lost columns: had " + old.columns() + ", has " + columns);
                var rows = StoredRows.rows(connection, table, old.columns());
                var lost = StoredRows.missing(old.rows(), rows);
                assertEquals(List.of(), lost.stream().limit(5).toList(), table + ": " + lost.size() + " rows of the release lost or changed");
                if (!table.equals("flyway_schema_history")) {
                    assertEquals(old.rows().size(), rows.size(), table + ": rows added by opening the folder");
                }
            }
        }
        // Every stored value reads through the current generated schema (statuses and kinds into their enums).
        var dump = assertDoesNotThrow(() -> DatabaseDump.counts(app));
        assertDoesNotThrow(() -> DatabaseDump.of(app));
        dump.forEach((table, count) -> {
            var old = released.tables().get(table.toUpperCase(Locale.ROOT));
            // D2: V8 records the release's run in progress, if any, as the one run in progress.
            int derived = table.equalsIgnoreCase("run_in_progress") ? app.database().dsl()
                    .fetchCount(PREPARATION_RUN, PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING)) : 0;
            assertEquals(old == null ? derived : old.rows().size(), count, table);
        });
    }

    /** Every module's compilation for each version, by "module@version". */
    private static Map<String, ModuleBuildRecord> builds(DSLContext dsl) {
        var result = new TreeMap<String, ModuleBuildRecord>();
        dsl.select(MODULE.NAME).select(MODULE_BUILD.fields()).from(MODULE_BUILD).join(MODULE).on(MODULE.ID.eq(MODULE_BUILD.MODULE_ID))
                .forEach(r -> result.put(r.get(MODULE.NAME) + "@" + r.get(MODULE_BUILD.PLATFORM_VERSION), r.into(MODULE_BUILD)));
        return result;
    }

    /** Module names by status code, sorted, as {@link TestEnvironment#byStatus} gives a run's. */
    private static Map<String, List<String>> byStatus(Map<String, String> statuses) {
        var result = new TreeMap<String, List<String>>();
        statuses.forEach((name, status) -> result.computeIfAbsent(status, s -> new ArrayList<>()).add(name));
        result.values().forEach(names -> names.sort(null));
        return result;
    }

    private static RunStatus runStatus(DSLContext dsl) {
        return dsl.select(PREPARATION_RUN.STATUS).from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(1L)).fetchOne(PREPARATION_RUN.STATUS);
    }

    /** Run #1's groups, counted by status. */
    private static Map<GroupStatus, Integer> groups(DSLContext dsl) {
        return dsl.select(RUN_GROUP.STATUS, DSL.count()).from(RUN_GROUP).where(RUN_GROUP.RUN_ID.eq(1L)).groupBy(RUN_GROUP.STATUS)
                .fetchMap(RUN_GROUP.STATUS, r -> r.value2());
    }

    private static HttpResponse<String> get(int port, String path, String authorization) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", authorization).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Unzips a fixture of the release into an empty folder: that folder is the data folder. */
    private static Path unzip(String name, Path folder) throws IOException {
        Files.createDirectories(folder);
        try (var in = ReleasedDataFolderTest.class.getResourceAsStream(RELEASE + name)) {
            assertTrue(in != null, "missing test resource " + RELEASE + name);
            try (var zip = new ZipInputStream(in)) {
                for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    Files.copy(zip, folder.resolve(Path.of(entry.getName()).getFileName()));
                }
            }
        }
        return folder;
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        var result = new ArrayList<String>();
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                result.add(rows.getString(1));
            }
        }
        return result;
    }

    private static Map<String, String> pairs(Connection connection, String sql) throws SQLException {
        var result = new TreeMap<String, String>();
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                result.put(rows.getString(1), rows.getString(2));
            }
        }
        return result;
    }
}
