package modprep.housekeeping;

import static modprep.db.schema.Tables.API_TOKEN;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.testing.InProcessCli.modprep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import modprep.Json;
import modprep.Modprep;
import modprep.db.Database;
import modprep.db.schema.DefaultSchema;
import modprep.testing.DatabaseDump;
import modprep.testing.InProcessCli;
import modprep.testing.PostgresCluster;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modprep move-to --database URL} (issue 11, part 1): an H2 installation with finished and failed runs, a
 * deployment, users, a token, settings, webhooks and their outbox moves to PostgreSQL row for row, and runs on
 * there; a target that is not empty, refused credentials and a source newer than this modprep are refused in one
 * line with nothing changed.
 */
class MoveToPostgreSQLTest {
    private static final String PASSWORD = "moving to postgresql";

    @TempDir
    Path dir;

    @AfterEach
    void dropDatabases() {
        PostgresCluster.get().dropCreated();
    }

    private static Map<String, String> withPassword(String password) {
        return Map.of("MODPREP_DATABASE_PASSWORD", password);
    }

    private static InProcessCli.Result ok(int exitCode, InProcessCli.Result result) {
        assertEquals(exitCode, result.exitCode(), result.out() + result.err());
        return result;
    }

    /** A data folder that has seen most of what an installation does, through the CLI as an operator drives it. */
    private Path installation(int modules) throws Exception {
        Path env = dir.resolve("env");
        Path data = dir.resolve("data");
        ok(0, modprep("", "demo", "--out", env.toString(), "--modules", String.valueOf(modules), "--version", "11.14.1"));
        ok(0, modprep("", "--data", data.toString(), "import", env.toString()));
        ok(0, modprep(PASSWORD + "\n", "--data", data.toString(), "user", "add", "admin", "--role", "administrator"));
        ok(0, modprep(PASSWORD + "\n", "--data", data.toString(), "user", "add", "dana", "--role", "viewer"));
        ok(0, modprep("", "--data", data.toString(), "user", "token", "admin", "--name", "grafana", "--days", "30"));
        ok(0, modprep("", "--data", data.toString(), "settings", "set", "run-retention", "90d"));
        ok(0, modprep("", "--data", data.toString(), "settings", "set", "webhooks-to-private-addresses", "true"));
        try (var app = Modprep.open(data)) {
            app.notifications().webhooks().add("http://127.0.0.1:9/modprep", "admin");
        }
        ok(0, modprep("", "--data", data.toString(), "upgrade", "--to", "11.16.1", "--follow"));
        ok(0, modprep("", "--data", data.toString(), "deploy", "--follow"));
        ok(1, modprep("", "--data", data.toString(), "upgrade", "--to", "11.17.0", "--follow"));
        return data;
    }

    @Test
    void an_H2_installation_moves_to_PostgreSQL_row_for_row_and_works_on_there_with_ids_after_the_copied_ones() throws Exception {
        Path data = installation(24);
        Map<String, String> before;
        Map<String, Integer> counts;
        try (var app = Modprep.open(data)) {
            before = DatabaseDump.portable(app.database().dsl());
            counts = DatabaseDump.counts(app);
        }
        for (String table : List.of("preparation_run", "deployment", "app_user", "api_token", "audit_event", "installation_setting",
                "webhook", "notification_event", "notification_delivery", "stored_blob", "module_code")) {
            assertFalse(before.get(table).isEmpty(), "the installation has rows in " + table);
        }
        String statusBefore = ok(0, modprep("", "--data", data.toString(), "status", "--json")).out();
        String shownBefore = ok(0, modprep("", "--data", data.toString(), "status")).out();

        var cluster = PostgresCluster.get();
        String database = cluster.createEmptyDatabase();
        String url = cluster.url(database);
        var moved = ok(0, modprep(withPassword(cluster.password()), "", "--data", data.toString(), "move-to", "--database", url));
        var lines = moved.out().lines().toList();
        var tables = DefaultSchema.DEFAULT_SCHEMA.getTables();
        assertEquals(tables.size() + 3, lines.size(), moved.out());
        for (var table : tables) {
            int rows = counts.get(table.getName());
            assertTrue(lines.stream().anyMatch(l -> l.matches(table.getName() + " +" + rows + " rows  checksum [0-9a-f]{16}")),
                    table.getName() + " with " + rows + " rows in:\n" + moved.out());
        }
        assertEquals("Next: modprep --data " + data.toAbsolutePath() + " serve   (with the database's password in "
                + "MODPREP_DATABASE_PASSWORD, or database-password-file in " + data.resolve("modprep.properties").toAbsolutePath() + ")",
                lines.get(lines.size() - 1));
        assertFalse(moved.out().contains(cluster.password()) || moved.err().contains(cluster.password()));

        // The data folder names the database now; the H2 files are kept aside as they were, the way back.
        assertTrue(Files.readString(data.resolve("modprep.properties")).contains("database-url = " + url + "\n"));
        assertFalse(Files.exists(data.resolve(Backup.DATABASE_FILE)));
        Path aside;
        try (var files = Files.list(data)) {
            aside = files.filter(f -> f.getFileName().toString().startsWith(MoveToPostgreSQL.KEPT_ASIDE)).findFirst().orElseThrow();
        }
        assertTrue(moved.out().contains("the H2 files are kept, untouched, in " + aside), moved.out());

        try (var there = Database.connect(cluster.location(database))) {
            assertEquals(before, DatabaseDump.portable(there.dsl()), "every row of every table, as it was");
        }
        try (var back = Modprep.open(aside)) {
            assertEquals(before, DatabaseDump.portable(back.database().dsl()), "the H2 database kept aside opens as it was");
        }

        // --data alone runs on PostgreSQL now, and shows what it showed on H2.
        var env = withPassword(cluster.password());
        var statusAfter = ok(0, modprep(env, "", "--data", data.toString(), "status", "--json")).out();
        assertEquals(Json.MAPPER.readTree(statusBefore), Json.MAPPER.readTree(statusAfter));
        assertEquals(shownBefore, ok(0, modprep(env, "", "--data", data.toString(), "status")).out());

        // New rows get ids after the copied ones: a token, a run, its audit and its notifications.
        ok(0, modprep(env, "", "--data", data.toString(), "user", "token", "dana", "--name", "after the move", "--days", "30"));
        var upgrade = ok(1, modprep(env, "", "--data", data.toString(), "upgrade", "--to", "11.18.0", "--follow"));
        assertTrue(upgrade.out().contains("Run #3 finished with errors"), upgrade.out());
        try (var there = Database.connect(cluster.location(database))) {
            assertEquals(List.of(1L, 2L, 3L), there.dsl().select(PREPARATION_RUN.ID).from(PREPARATION_RUN).orderBy(PREPARATION_RUN.ID).fetch(PREPARATION_RUN.ID));
            assertEquals(List.of(1L, 2L), there.dsl().select(API_TOKEN.ID).from(API_TOKEN).orderBy(API_TOKEN.ID).fetch(API_TOKEN.ID));
        }

        var again = ok(3, modprep(env, "", "--data", data.toString(), "move-to", "--database", url));
        assertEquals("the data folder " + data.toAbsolutePath() + " is set to run on PostgreSQL already (database-url in "
                + data.resolve("modprep.properties").toAbsolutePath() + ":2); to move its H2 database, take that line out first",
                again.err().strip());
    }

    @Test
    void a_target_not_empty_refused_credentials_or_no_server_are_refused_in_one_line_and_nothing_changes() throws Exception {
        Path env = dir.resolve("env");
        Path data = dir.resolve("data");
        ok(0, modprep("", "demo", "--out", env.toString(), "--modules", "6"));
        ok(0, modprep("", "--data", data.toString(), "import", env.toString()));
        var cluster = PostgresCluster.get();
        var password = withPassword(cluster.password());

        String used = cluster.createEmptyDatabase();
        ok(0, modprep(password, PASSWORD + "\n", "--database", cluster.url(used), "user", "add", "eve", "--role", "viewer"));
        var notEmpty = ok(3, modprep(password, "", "--data", data.toString(), "move-to", "--database", cluster.url(used)));
        assertEquals("the database " + cluster.url(used).replace("?user=", " as ")
                + " is not empty: its table app_user holds 1 row(s); name a new, empty database (createdb -O USER NAME). "
                + "Nothing was changed.", notEmpty.err().strip());

        String foreign = cluster.createEmptyDatabase();
        var location = cluster.location(foreign);
        try (var connection = DriverManager.getConnection(location.jdbcUrl(), location.user(), cluster.password())) {
            connection.createStatement().execute("CREATE TABLE invoices (id INT)");
        }
        var notOurs = ok(3, modprep(password, "", "--data", data.toString(), "move-to", "--database", cluster.url(foreign)));
        assertTrue(notOurs.err().contains("is not empty: it holds the table invoices, which is not modprep's"), notOurs.err());

        String fresh = cluster.createEmptyDatabase();
        String wrong = "not-the-password-" + System.nanoTime();
        var refused = ok(2, modprep(withPassword(wrong), "", "--data", data.toString(), "move-to", "--database", cluster.url(fresh)));
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertTrue(refused.err().contains("refused the credentials"), refused.err());
        assertFalse(refused.err().contains(wrong));

        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        var unreachable = ok(5, modprep(password, "", "--data", data.toString(), "move-to", "--database",
                "postgresql://127.0.0.1:" + closedPort + "/modprep?user=modprep"));
        assertTrue(unreachable.err().startsWith("modprep: cannot reach the database postgresql://127.0.0.1:" + closedPort), unreachable.err());

        var noTarget = ok(2, modprep(Map.of(), "", "--data", data.toString(), "move-to"));
        assertTrue(noTarget.err().startsWith("move-to: name the PostgreSQL database to move to with --database URL"), noTarget.err());

        assertTrue(Files.exists(data.resolve(Backup.DATABASE_FILE)), "the H2 database is where it was");
        assertFalse(Files.exists(data.resolve("modprep.properties")), "no setting written");
        try (var files = Files.list(data)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(MoveToPostgreSQL.KEPT_ASIDE)));
        }
        assertEquals(0, tablesIn(cluster, fresh), "the target refused the credentials: nothing written there");

        // A database migrated but empty (a move cut short leaves one) is taken.
        String migrated = cluster.createDatabase();
        ok(0, modprep(password, "", "--data", data.toString(), "move-to", "--database", cluster.url(migrated)));
    }

    @Test
    void a_data_folder_whose_schema_a_newer_modprep_migrated_is_refused_and_the_target_left_empty() throws Exception {
        Path data = dir.resolve("data");
        Modprep.open(data).close();
        String h2Password = Files.readString(data.resolve("modprep.password")).strip();
        Flyway.configure().dataSource("jdbc:h2:file:" + data.toAbsolutePath().resolve("modprep"), "sa", h2Password)
                .locations("classpath:db/migration", "classpath:db/future").load().migrate();
        var cluster = PostgresCluster.get();
        String target = cluster.createEmptyDatabase();
        var newer = ok(5, modprep(withPassword(cluster.password()), "", "--data", data.toString(), "move-to", "--database", cluster.url(target)));
        assertTrue(newer.err().startsWith("modprep: the database's schema is at version 99, newer than this modprep knows"), newer.err());
        assertEquals(0, tablesIn(cluster, target), "the target is not migrated");
        assertTrue(Files.exists(data.resolve(Backup.DATABASE_FILE)));
    }

    @Test
    void a_run_nothing_works_on_moves_in_progress_and_is_finished_on_PostgreSQL_with_the_password_file_remembered() throws Exception {
        Path env = dir.resolve("env");
        Path data = dir.resolve("data");
        ok(0, modprep("", "demo", "--out", env.toString(), "--modules", "12"));
        ok(0, modprep("", "--data", data.toString(), "import", env.toString()));
        try (var app = Modprep.open(data)) { // a run started, and no process working on it (its command stopped)
            app.preparations().upgrade("11.17.0", "test");
        }
        var cluster = PostgresCluster.get();
        String database = cluster.createEmptyDatabase();
        Path passwordFile = dir.resolve("db-password");
        Files.writeString(passwordFile, cluster.password() + "\n");
        var moved = ok(0, modprep(Map.of("MODPREP_DATABASE_PASSWORD_FILE", passwordFile.toString()), "",
                "--data", data.toString(), "move-to", "--database", cluster.url(database)));
        assertTrue(moved.out().endsWith("Next: modprep --data " + data.toAbsolutePath() + " serve\n"), moved.out());
        String settings = Files.readString(data.resolve("modprep.properties"));
        assertTrue(settings.contains("database-password-file = " + passwordFile.toAbsolutePath() + "\n"), settings);

        // No variable at all now: the data folder's settings name the database and its password file.
        assertTrue(ok(0, modprep(Map.of(), "", "--data", data.toString(), "status")).out().contains("Preparation run #1"));
        var finished = ok(1, modprep(Map.of(), "", "--data", data.toString(), "prepare", "--follow"));
        assertTrue(finished.out().contains("Run #1 finished with errors"), finished.out());
    }

    private static int tablesIn(PostgresCluster cluster, String database) throws Exception {
        var location = cluster.location(database);
        try (var connection = DriverManager.getConnection(location.jdbcUrl(), location.user(), cluster.password());
             var rows = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
