package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import modprep.Json;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** L3, the Nodes page: the batches each node compiled are counted in the latest run, and the page says which. */
class NodesPageTest {
    @TempDir
    Path dir;

    @Test
    void the_batches_column_names_the_latest_run_it_counts_even_once_that_run_has_ended_L3() throws Exception {
        var env = new TestEnvironment("11.16.1").module("Core").module("Web", "Core").module("Shop", "Web");
        try (var server = new ConsoleServer(env, dir.resolve("env"))) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            server.startWorker();
            long run = server.app.preparations().upgrade("11.17.0", "setup").runId();
            TestEnvironment.awaitEnd(server.app, run, Duration.ofMinutes(2));

            String page = admin.get("/nodes").body();
            assertTrue(page.contains("Batches compiled in the latest run<span> (#" + run + ")</span>"), page);
            assertFalse(page.contains("current run"), "run #" + run + " has ended: it is not current");
            var nodes = Json.MAPPER.readTree(admin.api("GET", "/api/nodes", null,
                    ConsoleClient.basic(ConsoleServer.ADMIN, ConsoleServer.PASSWORD)).body()).get("nodes");
            assertEquals(run, nodes.get(0).get("batchesRunId").asLong(), nodes.toString());
            assertTrue(nodes.get(0).get("batchesCompiled").asInt() >= 1, "the worker compiled the run's batches: " + nodes);
        }
    }
}
