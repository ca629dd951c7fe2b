package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import modprep.Json;
import modprep.testing.ModprepProcess;
import modprep.testing.PostgresCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modprep move-to} beside a real {@code modprep serve}: refused while the server has the data folder open
 * (nothing written anywhere), and once it is stopped, the moved folder served by {@code serve --data DIR} alone,
 * from PostgreSQL, shows what it showed on H2.
 */
class MoveToPostgreSQLIT {
    private static final String ADMIN_PASSWORD = "move while it serves";

    @TempDir
    Path dir;

    @AfterEach
    void dropDatabases() {
        PostgresCluster.get().dropCreated();
    }

    @Test
    void a_live_server_stops_the_move_and_once_stopped_the_moved_folder_serves_the_same_from_PostgreSQL() throws Exception {
        var cluster = PostgresCluster.get();
        String url = cluster.url(cluster.createEmptyDatabase());
        var env = Map.of("MODPREP_DATABASE_PASSWORD", cluster.password(), "MODPREP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        String data = dir.resolve("data").toString();
        assertEquals(0, ModprepProcess.run("demo", "--out", dir.resolve("env").toString(), "--modules", "30").exitCode());
        assertEquals(0, ModprepProcess.run("--data", data, "import", dir.resolve("env").toString()).exitCode());
        assertEquals(1, ModprepProcess.run("--data", data, "upgrade", "--to", "11.17.0", "--follow").exitCode());
        String admin = ConsoleClient.basic("admin", ADMIN_PASSWORD);

        String statusOnH2;
        try (var server = ModprepProcess.start(Map.of("MODPREP_ADMIN_PASSWORD", ADMIN_PASSWORD),
                "--data", data, "serve", "--port", "0", "--host", "127.0.0.1")) {
            statusOnH2 = new ConsoleClient("http://127.0.0.1:" + server.consolePort()).api("GET", "/api/status", null, admin).body();
            var refused = ModprepProcess.run(env, "--data", data, "move-to", "--database", url);
            assertEquals(3, refused.exitCode(), refused.output());
            assertEquals(1, refused.err().lines().count(), refused.output());
            assertTrue(refused.err().startsWith("the data folder " + data + " is in use by another modprep process (a server (pid "
                    + server.process.pid()), refused.output());
            assertTrue(refused.err().strip().endsWith("and run move-to again"), refused.output());
        }
        assertTrue(Files.exists(Path.of(data, "modprep.mv.db")) && Files.notExists(Path.of(data, "modprep.properties")),
                "the refused move changed nothing in the data folder");

        var moved = ModprepProcess.run(env, "--data", data, "move-to", "--database", url);
        assertEquals(0, moved.exitCode(), moved.output());
        assertTrue(moved.out().contains("Next: modprep --data " + data + " serve"), moved.output());
        assertFalse(moved.output().contains(cluster.password()));

        try (var server = ModprepProcess.start(env, "--data", data, "serve", "--port", "0", "--host", "127.0.0.1")) {
            var http = new ConsoleClient("http://127.0.0.1:" + server.consolePort());
            assertEquals(Json.MAPPER.readTree(statusOnH2), Json.MAPPER.readTree(http.api("GET", "/api/status", null, admin).body()),
                    "the same run, the same modules, the same statuses, from PostgreSQL");
            assertTrue(String.join("\n", server.out()).contains("(database postgresql://127.0.0.1:"), String.join("\n", server.out()));
        }
        assertFalse(Files.exists(Path.of(data, "modprep.mv.db")), "no H2 database was made again beside the moved one");
    }
}
