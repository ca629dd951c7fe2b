package modprep.web;

import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.WORKER_PROCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import modprep.Json;
import modprep.Modprep;
import modprep.db.DatabaseUnavailable;
import modprep.db.SchemaVersion;
import modprep.preparation.WorkerKind;
import modprep.settings.Source;
import modprep.status.NodeActivity;
import modprep.status.RunStatus;
import modprep.testing.RowLock;
import modprep.testing.TestEnvironment;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes upgraded one by one (L4): a node that finds the database migrated past what it knows, while it
 * works or when it starts, stops working with one clear line, gives its run back, and /health says the
 * schema is down; the run it held is left running for a newer node (a group stopped between its steps is
 * redone by whoever works next, P12).
 */
class NewerNodeTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** What a newer modprep does to the database when it starts: its own migration (V99, test resources) applied. */
    private static void migrateByANewerModprep(Modprep app) {
        Flyway.configure().dataSource(app.database().dataSource()).locations("classpath:db/migration", "classpath:db/future")
                .load().migrate();
    }

    @Test
    void a_running_node_that_finds_a_newer_schema_stops_gives_its_run_back_and_health_says_schema_down_L4() throws Exception {
        var env = new TestEnvironment("11.16.1");
        for (int i = 0; i < 12; i++) {
            env.module("M" + i);
        }
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            app.installationSettings().set("heartbeat-interval", "500ms", Source.request("a test"), "test");
            TestEnvironment.setGroupSize(app, 1);
            long run = app.preparations().upgrade("11.17.0", "alice").runId();
            var dsl = app.database().dsl();
            // The worker is held at the save of M5's group while a newer modprep migrates: the run is surely in
            // progress when the heartbeat finds the newer schema (the heartbeat never waits on the worker's rows).
            try (var held = RowLock.take(app.database(), "SELECT id FROM module WHERE name = 'M5' FOR UPDATE");
                 var worker = app.worker(WorkerKind.SERVER, "old-node").start()) {
                var web = new WebApp(app, worker::wake, worker::alive).create().start("127.0.0.1", 0);
                try {
                    held.awaitWaiting(1);
                    migrateByANewerModprep(app);
                    TestEnvironment.awaitTrue("the heartbeat finds the newer schema", Duration.ofSeconds(30), () -> !worker.alive());
                    held.release();

                    TestEnvironment.awaitTrue("the worker gives its run back", Duration.ofSeconds(30), () -> dsl.select(PREPARATION_RUN.LEASE_OWNER)
                            .from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(run)).fetchOne().value1() == null);
                    TestEnvironment.awaitTrue("the node shows as stopped", Duration.ofSeconds(30), () -> NodeActivity.STOPPED.code().equals(
                            dsl.select(WORKER_PROCESS.ACTIVITY).from(WORKER_PROCESS).where(WORKER_PROCESS.OWNER.eq("old-node")).fetchOne().value1()));
                    var row = dsl.selectFrom(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(run)).fetchSingle();
                    assertEquals(RunStatus.RUNNING, row.getStatus(), "the run is left for a newer node, not ended by this one");

                    var health = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(503, health.statusCode(), health.body());
                    assertEquals(Json.MAPPER.readTree("{\"status\":\"down\",\"checks\":{\"database\":\"up\",\"schema\":\"down\",\"worker\":\"down\"}}"),
                            Json.MAPPER.readTree(health.body()));
                } finally {
                    web.stop();
                }
            }
            var refused = assertThrows(DatabaseUnavailable.class, () -> app.worker(WorkerKind.SERVER, "old-node").start(),
                    "nor does it start again on that database");
            assertEquals("the database was migrated to version 99 by a newer modprep; this node knows " + SchemaVersion.known()
                    + ": upgrade it", refused.getMessage());
        }
    }
}
