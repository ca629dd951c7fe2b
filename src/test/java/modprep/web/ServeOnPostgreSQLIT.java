package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import modprep.Json;
import modprep.testing.ModprepProcess;
import modprep.testing.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modprep serve --database URL} as a child process on a PostgreSQL database that Flyway creates
 * empty, with CLI commands beside it: one run, the same status on both sides, /health and /metrics
 * answered, the data folder without a database, and the database password in no output and no command
 * line. Then the embedded H2 of a data folder: every port the server listens on is on 127.0.0.1.
 */
class ServeOnPostgreSQLIT {
    private static final String ADMIN_PASSWORD = "serve on postgresql";

    @TempDir
    Path dir;

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void serve_and_the_cli_on_one_PostgreSQL_database_share_one_run_and_the_password_shows_nowhere() throws Exception {
        var cluster = PostgresCluster.get();
        String url = cluster.url(cluster.createEmptyDatabase());
        var env = Map.of("MODPREP_DATABASE_PASSWORD", cluster.password(), "MODPREP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        String data = dir.resolve("data").toString();
        assertEquals(0, ModprepProcess.run("demo", "--out", dir.resolve("env").toString(), "--modules", "40").exitCode());
        var imported = ModprepProcess.run(env, "--data", data, "--database", url, "import", dir.resolve("env").toString());
        assertEquals(0, imported.exitCode(), imported.output());

        try (var server = ModprepProcess.start(env, "--data", data, "--database", url, "serve", "--port", "0", "--host", "127.0.0.1")) {
            var http = new ConsoleClient("http://127.0.0.1:" + server.consolePort());
            String admin = ConsoleClient.basic("admin", ADMIN_PASSWORD);
            var upgrade = ModprepProcess.run(env, "--database", url, "upgrade", "--to", "11.17.0", "--follow");
            assertEquals(1, upgrade.exitCode(), "the demo's findByName callers fail: " + upgrade.output());
            assertTrue(upgrade.out().contains("Run #1 finished with errors"), upgrade.output());

            var cliStatus = ModprepProcess.run(env, "--database", url, "status", "--json");
            assertEquals(json(http.api("GET", "/api/status", null, admin).body()), json(cliStatus.out()),
                    "modprep status --json is what GET /api/status serves");
            var health = http.api("GET", "/health", null, null);
            assertEquals(200, health.status(), health.body());

            var token = ModprepProcess.run(env, "--database", url, "user", "token", "admin", "--name", "prometheus", "--metrics");
            assertEquals(0, token.exitCode(), token.output());
            var metrics = http.api("GET", "/metrics", null, "Bearer " + token.out().strip());
            assertEquals(200, metrics.status(), metrics.body());
            var samples = MonitoringTest.parse(metrics.body());
            assertEquals(1.0, samples.get("modprep_runs{status=\"failed\"}"), "the run the CLI drove, seen by the server");
            assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("hikaricp_connections{")));

            String commandLine = Files.readString(Path.of("/proc", String.valueOf(server.process.pid()), "cmdline"));
            assertTrue(commandLine.contains(url), "the URL is on the command line");
            assertFalse(commandLine.contains(cluster.password()), "the password is not");
            server.close();
            String logs = String.join("\n", server.out()) + String.join("\n", server.err()) + imported.output() + upgrade.output()
                    + cliStatus.output() + metrics.body() + health.body();
            assertFalse(logs.contains(cluster.password()), "the database password is in no output");
            assertTrue(String.join("\n", server.out()).contains("(database postgresql://127.0.0.1:"), String.join("\n", server.out()));
        }
        if (Files.exists(Path.of(data))) { // nothing asked for it yet: the node's settings and logs come later
            try (var files = Files.list(Path.of(data)).filter(f -> f.getFileName().toString().startsWith("modprep"))) {
                assertEquals(0, files.count(), "no database in the data folder");
            }
        }
    }

    @Test
    void an_H2_server_listens_on_nothing_but_127_0_0_1_its_automatic_server_port_included() throws Exception {
        String data = dir.resolve("h2").toString();
        assertEquals(0, ModprepProcess.run("demo", "--out", dir.resolve("env").toString(), "--modules", "10").exitCode());
        assertEquals(0, ModprepProcess.run("--data", data, "import", dir.resolve("env").toString()).exitCode());
        try (var server = ModprepProcess.start(Map.of("MODPREP_ADMIN_PASSWORD", ADMIN_PASSWORD),
                "--data", data, "serve", "--port", "0", "--host", "127.0.0.1")) {
            server.consolePort();
            // A CLI command beside it opens the database through the server's automatic-server port.
            assertEquals(0, ModprepProcess.run("--data", data, "status").exitCode());
            var ss = ModprepProcess.run(new ProcessBuilder("ss", "-Hltnp"));
            var listening = ss.out().lines().filter(line -> line.contains("pid=" + server.process.pid() + ",")).toList();
            assertTrue(listening.size() >= 2, "the console and H2's port: " + ss.out());
            for (String line : listening) {
                String local = line.trim().split("\\s+")[3];
                assertTrue(local.startsWith("127.0.0.1:") || local.startsWith("[::ffff:127.0.0.1]:"), "listens beyond 127.0.0.1: " + line);
            }
        }
    }
}
