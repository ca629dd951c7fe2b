package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import modprep.Json;
import modprep.testing.ModprepProcess;
import modprep.testing.PostgresCluster;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code serve} processes on one PostgreSQL database, nodes "a" and "b": each one's Nodes page
 * and GET /api/nodes show both, with where they serve and their version; a third {@code serve} named "a"
 * is refused in one line while "a" beats; and "b", killed, is shown as not responding once its heartbeat
 * is older than the lease-timeout (L1, L3).
 */
class NodesOnPostgreSQLIT {
    private static final String ADMIN_PASSWORD = "nodes on postgresql";

    @TempDir
    Path dir;

    @Test
    void two_serve_processes_on_one_database_show_up_on_each_others_Nodes_page_and_a_killed_one_as_not_responding() throws Exception {
        var cluster = PostgresCluster.get();
        String url = cluster.url(cluster.createEmptyDatabase());
        var env = Map.of("MODPREP_DATABASE_PASSWORD", cluster.password(), "MODPREP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        assertEquals(0, ModprepProcess.run("demo", "--out", dir.resolve("env").toString(), "--modules", "10").exitCode());
        var imported = ModprepProcess.run(env, "--data", dir.resolve("a").toString(), "--database", url, "import", dir.resolve("env").toString());
        assertEquals(0, imported.exitCode(), imported.output());
        var lease = ModprepProcess.run(env, "--database", url, "settings", "set", "heartbeat-interval", "1s");
        assertEquals(0, lease.exitCode(), lease.output());
        lease = ModprepProcess.run(env, "--database", url, "settings", "set", "lease-timeout", "5s");
        assertEquals(0, lease.exitCode(), lease.output());

        // One after the other: two first starts at once both try to create the administrator (left alone here).
        try (var a = serve(env, url, "a")) {
            int portA = a.consolePort();
            try (var b = serve(env, url, "b")) {
                int portB = b.consolePort();
                String admin = ConsoleClient.basic("admin", ADMIN_PASSWORD);
                for (int port : new int[] {portA, portB}) {
                    var http = new ConsoleClient("http://127.0.0.1:" + port);
                    var nodes = Json.MAPPER.readTree(http.api("GET", "/api/nodes", null, admin).body()).get("nodes");
                    assertEquals("127.0.0.1:" + portA, node(nodes, "a").get("address").asText(), nodes.toString());
                    assertEquals("127.0.0.1:" + portB, node(nodes, "b").get("address").asText(), nodes.toString());
                    for (String name : new String[] {"a", "b"}) {
                        assertEquals("server", node(nodes, name).get("kind").asText());
                        assertTrue(node(nodes, name).get("responding").asBoolean(), nodes.toString());
                        assertFalse(node(nodes, name).get("version").asText().isBlank());
                        assertEquals("idle", node(nodes, name).get("doing").asText());
                    }
                    assertEquals(401, http.api("GET", "/api/nodes", null, null).status(), "an API route: a token or password is needed");

                    http.get("/signin");
                    assertEquals(302, http.post("/signin", Map.of("name", "admin", "password", ADMIN_PASSWORD, "next", "/nodes")).status());
                    var page = http.get("/nodes");
                    assertEquals(200, page.status());
                    assertTrue(page.body().contains("data-node=\"a\"") && page.body().contains("data-node=\"b\""), page.body());
                    assertTrue(page.body().contains("127.0.0.1:" + portA) && page.body().contains("127.0.0.1:" + portB));
                }

                var again = ModprepProcess.run(env, "--data", dir.resolve("a2").toString(), "--database", url, "serve", "--node-name", "a", "--port", "0",
                        "--host", "127.0.0.1");
                assertNotEquals(0, again.exitCode(), again.output());
                assertEquals(1, again.err().lines().count(), again.err());
                assertTrue(again.err().contains("the node 'a' is already running on host "), again.err());

                b.kill();
                var http = new ConsoleClient("http://127.0.0.1:" + portA);
                // b's row stays as its process left it; after the lease-timeout by the database's clock, a says it is silent.
                TestEnvironment.awaitTrue("b shown as not responding", Duration.ofSeconds(60), () -> {
                    try {
                        return !node(Json.MAPPER.readTree(http.api("GET", "/api/nodes", null, admin).body()).get("nodes"), "b")
                                .get("responding").asBoolean();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                http.get("/signin");
                http.post("/signin", Map.of("name", "admin", "password", ADMIN_PASSWORD, "next", "/nodes"));
                assertTrue(http.get("/nodes").body().contains("not responding since "), "the page says so, with since when");
            }
        }
    }

    private static JsonNode node(JsonNode nodes, String name) {
        for (var node : nodes) {
            if (node.get("name").asText().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("no node " + name + " in " + nodes);
    }

    private ModprepProcess serve(Map<String, String> env, String url, String name) {
        return ModprepProcess.start(env, "--data", dir.resolve(name).toString(), "--database", url, "serve", "--node-name", name,
                "--port", "0", "--host", "127.0.0.1");
    }
}
