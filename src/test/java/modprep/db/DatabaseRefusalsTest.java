package modprep.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.settings.Given;
import modprep.settings.NodeSettings;
import modprep.cli.ModprepCommand;
import modprep.testing.PostgresCluster;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database modprep cannot use is refused at once, in one line, with the exit code ExitCodes gives it:
 * a schema newer than this modprep knows (on H2 and on PostgreSQL), a server that cannot be reached,
 * credentials it refuses; and a password never travels on the command line or into a message.
 */
class DatabaseRefusalsTest {
    @TempDir
    Path dir;

    /** Applies a migration of a newer modprep (V99, a test resource) to the database, as that modprep would. */
    private static void upgradeByANewerModprep(String url, String user, String password) {
        Flyway.configure().dataSource(url, user, password).locations(SchemaCheck.LOCATION, "classpath:db/future").load().migrate();
    }

    @Test
    void an_H2_data_folder_whose_schema_a_newer_modprep_migrated_is_refused_in_one_line_with_exit_5() throws Exception {
        Path data = dir.resolve("data");
        Modprep.open(data).close();
        String password = Files.readString(data.resolve(H2Folder.PASSWORD_FILE)).strip();
        upgradeByANewerModprep(H2Folder.url(data.toAbsolutePath()), H2Folder.USER, password);

        var refused = assertThrows(DatabaseUnavailable.class, () -> Database.open(data));
        assertEquals(DatabaseUnavailable.Reason.SCHEMA_NEWER, refused.reason());
        assertTrue(refused.getMessage().startsWith("the database's schema is at version 99, newer than this modprep knows (up to version "),
                refused.getMessage());
        var cli = cli("--data", data.toString(), "status");
        assertEquals(5, cli.code());
        assertEquals(1, cli.err().lines().count(), cli.err());
        assertTrue(cli.err().startsWith("modprep: the database's schema is at version 99"), cli.err());
    }

    @Test
    void a_PostgreSQL_database_whose_schema_a_newer_modprep_migrated_is_refused_and_left_as_it_was() {
        var cluster = PostgresCluster.get();
        String name = cluster.createDatabase();
        try {
            var location = cluster.location(name);
            upgradeByANewerModprep(location.jdbcUrl(), location.user(), cluster.password());
            var refused = assertThrows(DatabaseUnavailable.class, () -> Database.connect(location));
            assertEquals(DatabaseUnavailable.Reason.SCHEMA_NEWER, refused.reason());
            assertFalse(refused.badInput(), "exit 5: this modprep cannot carry it out");
        } finally {
            cluster.dropCreated();
        }
    }

    @Test
    void a_server_that_cannot_be_reached_exits_5_and_refused_credentials_exit_2_without_the_password_in_any_message() throws Exception {
        var cluster = PostgresCluster.get();
        String name = cluster.createDatabase();
        try {
            String wrong = "not-the-password-" + System.nanoTime();
            var badPassword = assertThrows(DatabaseUnavailable.class,
                    () -> Database.connect(DatabaseLocation.parse(cluster.url(name), wrong)));
            assertEquals(DatabaseUnavailable.Reason.CREDENTIALS, badPassword.reason());
            assertTrue(badPassword.badInput());
            assertFalse(badPassword.getMessage().contains(wrong), badPassword.getMessage());
            assertTrue(badPassword.getMessage().contains("refused the credentials"), badPassword.getMessage());

            int closedPort;
            try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closedPort = socket.getLocalPort();
            }
            var cli = cli("--database", "postgresql://127.0.0.1:" + closedPort + "/modprep?user=modprep", "status");
            assertEquals(5, cli.code(), cli.err());
            assertEquals(1, cli.err().lines().count(), cli.err());
            assertTrue(cli.err().startsWith("modprep: cannot reach the database postgresql://127.0.0.1:" + closedPort + "/modprep as modprep: "),
                    cli.err());
        } finally {
            cluster.dropCreated();
        }
    }

    @Test
    void a_password_in_the_URL_is_refused_without_repeating_it_and_the_password_comes_from_the_environment_or_a_file()
            throws Exception {
        for (String url : new String[] {"postgresql://modprep:s3cret-in-url@db:5432/modprep",
                "jdbc:postgresql://db:5432/modprep?user=modprep&password=s3cret-in-url"}) {
            var refused = assertThrows(ModprepException.class, () -> DatabaseLocation.parse(url, null));
            assertEquals(ModprepException.Kind.BAD_INPUT, refused.kind());
            assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
            assertTrue(refused.getMessage().contains("MODPREP_DATABASE_PASSWORD"), refused.getMessage());
        }
        var location = DatabaseLocation.parse("jdbc:postgresql://db.example:6543/factory?user=prep&sslmode=require", "pw-1");
        assertEquals("jdbc:postgresql://db.example:6543/factory?sslmode=require", location.jdbcUrl());
        assertEquals("prep", location.user());
        assertEquals("postgresql://db.example:6543/factory as prep", location.toString());

        Path file = dir.resolve("password");
        Files.writeString(file, "from-a-file\n");
        var fromFile = node(Map.of("MODPREP_DATABASE_URL", "postgresql://db/modprep?user=prep",
                "MODPREP_DATABASE_PASSWORD_FILE", file.toString()), null).database().orElseThrow();
        assertEquals("from-a-file", fromFile.password());
        var fromVariable = node(Map.of("MODPREP_DATABASE_PASSWORD", "from-env", "MODPREP_DATABASE_PASSWORD_FILE", file.toString(),
                "MODPREP_DATABASE_URL", "postgresql://db/modprep?user=prep"), "postgresql://db/other?user=prep").database().orElseThrow();
        assertEquals("from-env", fromVariable.password(), "the variable first, and the option before the URL variable");
        assertEquals("postgresql://db/other as prep", fromVariable.toString());
        assertTrue(node(Map.of(), null).database().isEmpty(), "no server named: the data folder's H2");
        var mysql = assertThrows(ModprepException.class, () -> DatabaseLocation.parse("mysql://db/modprep", null));
        assertEquals("--database: a PostgreSQL URL was expected, such as postgresql://host:5432/modprep?user=modprep, not a 'mysql:' one",
                mysql.getMessage());
    }

    /** The node settings of these variables and this --database option. */
    private NodeSettings node(Map<String, String> env, String option) {
        var flags = option == null ? Map.<String, Given>of() : Map.of("database-url", Given.flag("--database", option));
        return NodeSettings.resolve(flags, env, null);
    }

    private record Cli(int code, String err) {
    }

    /** Runs the CLI in this JVM, with what it writes to stderr. */
    private static synchronized Cli cli(String... args) {
        var saved = System.err;
        var err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = ModprepCommand.run(args);
            return new Cli(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }
}
