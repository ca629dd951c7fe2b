package modprep.web;

import static modprep.db.schema.Tables.WORKER_PROCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import modprep.Json;
import modprep.preparation.GroupDriver;
import modprep.preparation.WorkerKind;
import modprep.settings.Source;
import modprep.status.RunStatus;
import modprep.testing.TestEnvironment;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** I1-I3 as the console and the API show them, on the real console. */
class InsightPagesTest {
    @TempDir
    Path dir;

    private static TestEnvironment.ModuleDef module(String name, String application, boolean failing, String... references) {
        return new TestEnvironment.ModuleDef(name, application, true, List.of(references), failing, Map.of());
    }

    private static JsonNode api(ConsoleClient client, String path) throws Exception {
        var response = client.api("GET", path, null, ConsoleClient.basic(ConsoleServer.ADMIN, ConsoleServer.PASSWORD));
        assertEquals(200, response.status(), response.body());
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void after_failures_the_banner_the_run_page_and_the_api_name_the_failure_that_blocks_most_first_I3() throws Exception {
        // Auth blocks Orders and Cart (Shop) and Reports (Back office); Legacy blocks Archive alone.
        var env = new TestEnvironment("11.16.1")
                .add(module("Core", "Platform", false))
                .add(module("Legacy", "Back office", true, "Core"))
                .add(module("Archive", "Back office", false, "Legacy"))
                .add(module("Auth", "Identity", true, "Core"))
                .add(module("Orders", "Shop", false, "Auth"))
                .add(module("Cart", "Shop", false, "Orders"))
                .add(module("Reports", "Back office", false, "Orders"));
        try (var server = new ConsoleServer(env, dir.resolve("env"))) {
            var upgrade = server.app.preparations().upgrade("11.17.0", "admin");
            try (var worker = server.app.worker(WorkerKind.SERVER).start()) {
                assertEquals(RunStatus.FAILED, TestEnvironment.awaitEnd(server.app, upgrade.runId(), Duration.ofSeconds(120)).status());
            }
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);

            String overview = ConsoleClient.unescape(admin.get("/").body());
            assertTrue(overview.contains("id=\"banner-fix-first\""), "the end-of-run banner names what to fix first");
            assertTrue(overview.matches("(?s).*Fix first:\\s*<a[^>]*>Auth</a>\\s*<span>— blocks 3 modules in 2 applications\\.</span>.*"),
                    "Orders and Cart in Shop, Reports in Back office: " + overview);

            String page = admin.get("/preparations/" + upgrade.runId()).body();
            int auth = page.indexOf("id=\"fix-first-table\"");
            assertTrue(auth > 0, "the run page ranks the failures");
            assertTrue(page.indexOf(">Auth</a>", auth) < page.indexOf(">Legacy</a>", auth), "Auth, which blocks more, comes first");

            var ranked = api(admin, "/api/insight").get("fixFirst");
            assertEquals(2, ranked.size());
            assertEquals("Auth", ranked.get(0).get("module").asText());
            assertEquals(3, ranked.get(0).get("modules").asInt());
            assertEquals(List.of("Back office", "Shop"), List.of(ranked.get(0).get("blockedApplications").get(0).asText(),
                    ranked.get(0).get("blockedApplications").get(1).asText()));
            assertEquals("Legacy", ranked.get(1).get("module").asText());
            assertEquals(1, ranked.get(1).get("modules").asInt());
        }
    }

    @Test
    void during_a_run_the_estimate_and_when_each_module_and_application_can_be_published_are_shown_I1_I2_P8() throws Exception {
        // Planned one module a group, most referenced first: Core (1), Util (2), then Both (3) and Mid (4), by name.
        var env = new TestEnvironment("11.16.1")
                .add(module("Core", "Base", false))
                .add(module("Util", "Base", false))
                .add(module("Mid", "Front", false, "Core"))
                .add(module("Both", "Front", false, "Core", "Util"));
        try (var server = new ConsoleServer(env, dir.resolve("env"))) {
            TestEnvironment.setGroupSize(server.app, 1);
            server.app.installationSettings().set("lease-timeout", "1h", Source.request("a test"), "test");
            var first = server.app.preparations().upgrade("11.17.0", "admin");
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var before = api(admin, "/api/insight").get("estimate");
            assertTrue(before.get("known").asBoolean(), "no group done yet: a first run starts from the import's pace " + before);
            assertTrue(before.get("basis").asText().endsWith("measured on 0 groups of this run and on the import's compiling"), before.toString());
            assertEquals(4, before.get("groups").size(), before.toString());
            var firstRun = new GroupDriver(server.app, first.runId());
            assertTrue(firstRun.prepare(1, GroupDriver.StopAfter.NOTHING));
            for (int seq = 2; seq <= 4; seq++) {
                assertTrue(firstRun.prepare(seq, GroupDriver.StopAfter.NOTHING));
            }
            firstRun.finish();
            // The next upgrade learns from the first run's groups.
            var upgrade = server.app.preparations().upgrade("11.18.0", "admin");

            // Two nodes live (their heartbeats within the lease-timeout of an hour): the estimate counts on them (P14).
            var dsl = server.app.database().dsl();
            dsl.deleteFrom(WORKER_PROCESS).execute();
            for (String node : List.of("node-a", "node-b")) {
                dsl.insertInto(WORKER_PROCESS).set(WORKER_PROCESS.OWNER, node).set(WORKER_PROCESS.KIND, WorkerKind.SERVER.code())
                        .set(WORKER_PROCESS.HOST, node).set(WORKER_PROCESS.PID, 1L).set(WORKER_PROCESS.STARTED_AT, DSL.currentOffsetDateTime())
                        .set(WORKER_PROCESS.HEARTBEAT_AT, DSL.currentOffsetDateTime()).execute();
            }
            var driver = new GroupDriver(server.app, upgrade.runId());
            assertTrue(driver.prepare(1, GroupDriver.StopAfter.NOTHING));

            var estimate = api(admin, "/api/insight").get("estimate");
            assertTrue(estimate.get("known").asBoolean(), estimate.toString());
            assertEquals(3, estimate.get("groups").size(), "groups 2 to 4 are still to come");
            assertEquals(2, estimate.get("nodes").asInt(), estimate.toString());
            assertTrue(estimate.get("basis").asText().endsWith(" of earlier runs"), "a run after the first learns from runs, not the import: "
                    + estimate);
            assertEquals("on 2 nodes", estimate.get("nodesText").asText());
            String current = admin.get("/preparations/current").body();
            assertTrue(current.contains("id=\"estimate-run\""), current);
            assertTrue(current.matches("(?s).*Expected to end in about \\d+ (s|min) on 2 nodes, around .*"), current);
            assertTrue(current.contains("(2 nodes live now)"), "the basis says which nodes: " + current);
            assertTrue(admin.get("/").body().matches("(?s).*id=\"banner-eta\"[^>]*>Expected to end in about \\d+ (s|min) on 2 nodes \\(around.*"),
                    "the banner tells it too");

            // P8: Mid waits on Core alone, prepared: publishable now, though its own group has not run.
            String mid = admin.get("/modules/Mid").body();
            assertTrue(mid.contains("id=\"module-publishable\"") && mid.contains(">publishable now<"), mid);
            var midApi = api(admin, "/api/modules/Mid").get("publishable");
            assertTrue(midApi.get("now").asBoolean());
            assertTrue(server.app.publisher().publish(List.of("Mid"), "admin").allPublished(), "and the publish goes through");

            // Both waits on Util, in group 2.
            var both = api(admin, "/api/modules/Both").get("publishable");
            assertFalse(both.get("now").asBoolean());
            assertEquals(2, both.get("afterGroup").asInt());
            assertTrue(both.get("text").asText().matches("publishable in about \\d+ (s|min) \\(after group 2\\)"), both.toString());

            // Applications: Base waits for Util (group 2), Front for Both (group 3); Base's team can publish Core and Util now.
            var apps = api(admin, "/api/insight").get("applications");
            assertEquals("Base", apps.get(0).get("application").asText());
            assertEquals(2, apps.get(0).get("publishable").get("afterGroup").asInt());
            assertEquals(List.of("Both"), List.of(apps.get(1).get("waiting").get(0).asText()));
            String applications = admin.get("/applications").body();
            assertTrue(applications.contains("The team can publish now"), applications);
            assertTrue(applications.contains("(after group 3)"), applications);
            assertTrue(applications.contains("<td class=\"small\">Core, Util</td>"), "what Base's team can publish now (P8): " + applications);
        }
    }
}
