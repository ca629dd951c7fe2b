package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import modprep.preparation.WorkerKind;
import modprep.readmodel.DeploymentQueries;
import modprep.status.RunStatus;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** D3, D7, D8 in the console and the API: preview, Deploy, the deployment's page, the banner, the report's link, the module page. */
class DeploymentPagesTest {
    @TempDir
    Path dir;

    @Test
    void an_administrator_previews_deploys_and_follows_a_deployment_after_a_run_with_errors_D3_D8() {
        var env = new TestEnvironment("11.16.1").module("Core").failing("Legacy", "Core").module("Shop", "Legacy").module("Lib", "Core");
        try (var server = new ConsoleServer(env, dir.resolve("env"))) {
            var upgrade = server.app.preparations().upgrade("11.17.0", "admin");
            try (var worker = server.app.worker(WorkerKind.SERVER).start()) {
                assertEquals(RunStatus.FAILED, TestEnvironment.awaitEnd(server.app, upgrade.runId(), Duration.ofSeconds(120)).status());
            }
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            assertTrue(admin.get("/upgrades").body().contains("id=\"deploy-preview\""), "Deploy… on the Upgrades page");

            String preview = ConsoleClient.unescape(admin.get("/deployments/preview").body());
            assertTrue(preview.contains("2 modules would start running their compilation for 11.17.0"), preview);
            assertTrue(preview.contains("id=\"preview-skipped-Legacy\""), "the failed module is listed as skipped");
            assertTrue(preview.contains("Failed to prepare for 11.17.0"), "with why");
            assertTrue(preview.contains("id=\"preview-skipped-Shop\"") && preview.contains("Blocked by Legacy"));
            assertTrue(preview.contains("id=\"deploy-button\""));

            var deployed = admin.post("/upgrades/deploy", Map.of());
            assertEquals(302, deployed.status());
            assertEquals("/deployments/1", deployed.location());
            try (var worker = server.app.worker(WorkerKind.SERVER).start()) {
                worker.wake();
                TestEnvironment.awaitTrue("deployment #1 ends", Duration.ofSeconds(90),
                        () -> !new DeploymentQueries(server.app.database().dsl()).deployment(1, false).running());
            }
            String page = ConsoleClient.unescape(admin.get("/deployments/1").body());
            assertTrue(page.contains("Deployment #1"), page);
            assertTrue(page.contains("2 deployed, 0 failed, 0 blocked, 2 skipped"), page);
            assertTrue(page.contains("id=\"skipped-Legacy\"") && page.contains("id=\"skipped-Shop\""));
            assertTrue(page.contains("lock modules") && page.contains("unlock"), "each group's steps");
            assertTrue(page.contains("data-live-fragment=\"live-deployment\""), "live like the preparation pages");

            String overview = ConsoleClient.unescape(admin.get("/").body());
            assertTrue(overview.contains("id=\"deployment-banner\"") && overview.contains("2 deployed, 2 skipped, 0 failed"),
                    "the end banner says what was deployed, skipped and failed");
            String upgrades = admin.get("/upgrades").body();
            assertTrue(upgrades.contains("href=\"/deployments/1\" class=\"deployment-link\""),
                    "the report links the run to its deployment: " + upgrades.substring(upgrades.indexOf("runs-table")));
            String module = ConsoleClient.unescape(admin.get("/modules/Core").body());
            assertTrue(module.contains("deployment #1"), "the module page says which deployment it runs");
            assertTrue(admin.get("/audit").body().contains("deploy"), "Deploy is in the audit");

            var list = ConsoleClient.of(server).api("GET", "/api/deployments", null, ConsoleClient.basic(ConsoleServer.ADMIN, ConsoleServer.PASSWORD));
            assertEquals(200, list.status(), list.body());
            assertTrue(list.body().contains("\"deployed\":2"), list.body());

            var rolledBack = admin.post("/deployments/1/rollback", Map.of("module", "Core"));
            assertEquals(302, rolledBack.status());
            assertTrue(ConsoleClient.unescape(admin.get("/deployments/1").body()).contains("Rolled back 2 modules, consumers first: Lib, Core."));
        }
    }
}
