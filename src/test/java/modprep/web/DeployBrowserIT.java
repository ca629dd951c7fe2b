package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import modprep.deployment.DeploymentRepository;
import modprep.readmodel.DeploymentQueries;
import modprep.testing.Builds;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployment step in a real browser (issue 12): D3, D4, D6, D8, against a real server with real runs. */
class DeployBrowserIT {
    private static Browser browser;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        browser.close();
    }

    private static void awaitDeploymentEnded(ConsoleServer server, long id) {
        TestEnvironment.awaitTrue("deployment #" + id + " ends", Duration.ofSeconds(120),
                () -> !new DeploymentQueries(server.app.database().dsl()).deployment(id, false).running());
    }

    /** Deploy… on Upgrades, the preview, then Deploy: lands on the deployment's page. */
    private static void deployFromTheUpgradesPage(ConsoleServer server) {
        browser.open(server.url("/upgrades"));
        browser.clickAndLoad("#deploy-preview");
        browser.clickAndLoad("#deploy-button");
        browser.waitForText("#flash", "started");
    }

    @Test
    void deploy_after_a_successful_run_deploys_every_module_with_the_banner_live_on_every_page_D8() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Utils", "Core").module("Billing", "Utils");
        try (var server = ConsoleBrowserIT.server(browser, env, dir.resolve("env"))) {
            server.startWorker();
            ConsoleBrowserIT.upgradeTo(browser, server, "11.17.0");
            server.awaitRunsEnded();
            browser.open(server.url("/deployments/preview"));
            assertTrue(browser.text("#preview-summary").startsWith("3 modules would start running their compilation for 11.17.0"),
                    browser.text("#preview-summary"));
            assertTrue(browser.text("#preview-skipped").contains("None"));
            deployFromTheUpgradesPage(server);
            awaitDeploymentEnded(server, 1);
            browser.waitForText("#deployment-banner", "3 deployed, 0 skipped, 0 failed"); // live: the page was not reloaded
            for (String page : List.of("/", "/modules", "/upgrades", "/modules/Core")) {
                browser.open(server.url(page));
                assertTrue(browser.text("#deployment-banner").contains("Deployment #1 succeeded"), page);
            }
            browser.open(server.url("/modules/Billing"));
            assertTrue(browser.text("#module-runs").contains("deployed by deployment #1"), browser.text("#module-runs"));
            browser.open(server.url("/upgrades"));
            browser.clickAndLoad("#deployment-link-1");
            assertTrue(browser.text("#deployment-counts").startsWith("3 deployed"), browser.text("#deployment-counts"));
        }
    }

    @Test
    void deploy_after_a_run_with_errors_lists_the_failed_and_blocked_modules_as_skipped_with_why_D3() {
        try (var server = ConsoleBrowserIT.server(browser, ConsoleBrowserIT.environment("11.16.1"), dir.resolve("env"))) {
            server.startWorker();
            ConsoleBrowserIT.upgradeTo(browser, server, "11.17.0");
            server.awaitRunsEnded();
            browser.open(server.url("/deployments/preview"));
            assertTrue(browser.text("#preview-skipped-Legacy").contains("Failed to prepare for 11.17.0"));
            assertTrue(browser.text("#preview-skipped-Orders").contains("Blocked by Legacy"));
            assertTrue(browser.text("#preview-skipped-Shop").contains("Blocked by"));
            assertTrue(browser.text("#preview-skipped-Draft").contains("Only uploaded"));
            browser.clickAndLoad("#deploy-button");
            awaitDeploymentEnded(server, 1);
            browser.open(server.url("/deployments/1"));
            for (String skipped : List.of("Legacy", "Orders", "Shop", "Draft")) {
                assertTrue(browser.present("#skipped-" + skipped), skipped + " is listed as skipped");
            }
            assertTrue(browser.text("#deployment-counts").startsWith("4 deployed, 0 failed, 0 blocked, 4 skipped"),
                    browser.text("#deployment-counts"));
        }
    }

    @Test
    void after_a_fix_and_prepare_deploy_again_deploys_only_the_rest_D6() {
        var env = ConsoleBrowserIT.environment("11.16.1");
        try (var server = ConsoleBrowserIT.server(browser, env, dir.resolve("env"))) {
            server.startWorker();
            ConsoleBrowserIT.upgradeTo(browser, server, "11.17.0");
            server.awaitRunsEnded();
            deployFromTheUpgradesPage(server);
            awaitDeploymentEnded(server, 1);
            // The fix for Legacy, uploaded and published; then Prepare prepares Orders and Shop.
            server.app.uploader().upload(env.writeFix(dir.resolve("fix"), "Legacy"), "admin");
            assertTrue(server.app.publisher().publish(List.of("Legacy"), "admin").allPublished());
            browser.open(server.url("/upgrades"));
            browser.clickAndLoad("#prepare-button");
            server.awaitRunsEnded();
            browser.open(server.url("/deployments/preview"));
            assertTrue(browser.text("#preview-summary").startsWith("2 modules would start running"), browser.text("#preview-summary"));
            browser.clickAndLoad("#deploy-button");
            awaitDeploymentEnded(server, 2);
            browser.open(server.url("/deployments/2"));
            assertTrue(browser.present("#deployment-module-Orders") && browser.present("#deployment-module-Shop"));
            assertFalse(browser.present("#deployment-module-Core"), "what deployment #1 deployed is not deployed again");
            assertTrue(browser.text("#deployment-counts").startsWith("2 deployed"), browser.text("#deployment-counts"));
        }
    }

    @Test
    void a_publish_of_a_module_of_the_group_deploying_is_refused_naming_the_deployment_D4() {
        // No worker for the deployment: its group 1 is taken as the worker takes it, and stays so while the test looks.
        try (var server = ConsoleBrowserIT.server(browser, ConsoleBrowserIT.environment("11.16.1"), dir.resolve("env"))) {
            var upgrade = server.app.preparations().upgrade("11.17.0", "admin");
            try (var worker = server.app.worker(modprep.preparation.WorkerKind.SERVER).start()) {
                TestEnvironment.awaitEnd(server.app, upgrade.runId(), Duration.ofSeconds(120));
            }
            long id = server.app.deployments().deploy("admin").deploymentId();
            long core = Builds.module(server.app, "Core").getId();
            server.app.database().transaction(tx -> {
                new DeploymentRepository(tx).startGroup(id, 1, List.of(core), java.time.OffsetDateTime.now());
                return null;
            });
            browser.open(server.url("/"));
            assertTrue(browser.text("#deployment-banner").startsWith("Deploying 0 of "), browser.text("#deployment-banner"));
            browser.open(server.url("/modules/Core"));
            browser.clickAndLoad("#publish-button");
            String refusal = browser.text("#flash");
            assertTrue(refusal.contains("Publish of module Core was refused"), refusal);
            assertTrue(refusal.contains("locked by deployment #" + id), refusal);
            assertTrue(refusal.contains("Wait until group 1 is deployed"), refusal);
            assertEquals("11.16.1", Builds.module(server.app, "Core").getRunningVersion(), "nothing changed");
        }
    }
}
