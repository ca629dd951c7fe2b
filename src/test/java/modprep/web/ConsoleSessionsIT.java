package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import modprep.testing.ModprepProcess;
import modprep.testing.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Console sessions across real {@code modprep serve} processes: two nodes on one PostgreSQL database
 * share them, and a server stopped and started again (on an H2 data folder, or a node killed with
 * SIGKILL) signs nobody out.
 */
class ConsoleSessionsIT {
    private static final String ADMIN_PASSWORD = "sessions in the database";

    @TempDir
    Path dir;

    @Test
    void a_user_signed_in_through_one_node_is_signed_in_on_a_second_and_stays_so_when_the_first_is_killed() {
        var cluster = PostgresCluster.get();
        String url = cluster.url(cluster.createEmptyDatabase());
        var env = Map.of("MODPREP_DATABASE_PASSWORD", cluster.password(), "MODPREP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        assertEquals(0, ModprepProcess.run("demo", "--out", dir.resolve("env").toString(), "--modules", "10").exitCode());
        var imported = ModprepProcess.run(withEnvironment(env, "--database", url, "import", dir.resolve("env").toString()));
        assertEquals(0, imported.exitCode(), imported.output());

        // One after the other: two nodes started at once on an empty database both create the first administrator.
        try (var first = serve(env, url, "a")) {
            String firstBase = base(first);
            try (var second = serve(env, url, "b")) {
                var throughFirst = new ConsoleClient(firstBase).signedIn("admin", ADMIN_PASSWORD);
                var throughSecond = throughFirst.at(base(second));
                assertEquals(200, throughSecond.get("/modules").status(), "signed in on the second node");

                assertEquals(302, throughSecond.post("/signout", Map.of()).status());
                assertEquals(302, throughFirst.get("/modules").status(), "signed out through the second node, signed out on the first");

                // Signed in again through the second node; the first one dies and comes back: nobody is signed out.
                var again = new ConsoleClient(base(second)).signedIn("admin", ADMIN_PASSWORD);
                first.kill();
                try (var restarted = serve(env, url, "a")) {
                    var page = again.at(base(restarted)).get("/modules");
                    assertEquals(200, page.status(), "the node killed and started again knows the session");
                }
            }
        }
    }

    @Test
    void a_server_on_an_H2_data_folder_stopped_and_started_again_signs_nobody_out() {
        String data = dir.resolve("data").toString();
        var env = Map.of("MODPREP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        assertEquals(0, ModprepProcess.run("demo", "--out", dir.resolve("env").toString(), "--modules", "10").exitCode());
        assertEquals(0, ModprepProcess.run("--data", data, "import", dir.resolve("env").toString()).exitCode());
        ConsoleClient browser;
        try (var server = ModprepProcess.start(env, "--data", data, "serve", "--port", "0", "--host", "127.0.0.1")) {
            browser = new ConsoleClient(base(server)).signedIn("admin", ADMIN_PASSWORD);
        }
        try (var server = ModprepProcess.start(env, "--data", data, "serve", "--port", "0", "--host", "127.0.0.1")) {
            var same = browser.at(base(server));
            assertEquals(200, same.get("/modules").status(), "the same cookie is still signed in");
            var created = same.post("/users/tokens", Map.of("user", "admin", "name", "after-restart", "days", "30"));
            assertEquals(302, created.status(), "its CSRF token still holds: " + created.body());
            assertTrue(same.flashAfter(created).startsWith("Created API token 'after-restart'"));
        }
    }

    private static ModprepProcess serve(Map<String, String> env, String url, String node) {
        return ModprepProcess.start(env, "--database", url, "serve", "--node-name", node, "--port", "0", "--host", "127.0.0.1");
    }

    private static String base(ModprepProcess server) {
        return "http://127.0.0.1:" + server.consolePort();
    }

    private static ProcessBuilder withEnvironment(Map<String, String> env, String... args) {
        var command = ModprepProcess.command(args);
        command.environment().putAll(env);
        return command;
    }
}
