package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import modprep.testing.TestEnvironment;
import modprep.testing.TestEnvironment.ModuleDef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.Select;

/** The console in a real browser, against a real server with real runs (U1–U8). */
class ConsoleBrowserIT {
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

    /** Legacy calls Users.findByName (gone in 11.17.0); Orders and Shop depend on it. Other browser tests start from it too. */
    static TestEnvironment environment(String version) {
        return new TestEnvironment(version)
                .add(new ModuleDef("Core", "Platform", true, List.of(), false, Map.of()))
                .add(new ModuleDef("Utils", "Platform", true, List.of("Core"), false, Map.of()))
                .add(new ModuleDef("Legacy", "Platform", true, List.of("Core"), true, Map.of()))
                .add(new ModuleDef("Orders", "Sales", true, List.of("Legacy", "Utils"), false, Map.of()))
                .add(new ModuleDef("Shop", "Sales", true, List.of("Orders"), false, Map.of()))
                .add(new ModuleDef("Billing", "Finance", true, List.of("Utils"), false, Map.of("invoice.prefix", "INV-", "timeout.seconds", "30")))
                .add(new ModuleDef("Reports", "Finance", true, List.of("Billing", "Core"), false, Map.of()))
                .add(new ModuleDef("Draft", "Finance", false, List.of("Core"), false, Map.of()));
    }

    /** The console on a fresh environment, with the browser signed in as its administrator. */
    private ConsoleServer server(String version) {
        return server(browser, environment(version), dir.resolve("env"));
    }

    /** The console on an environment, with the browser signed in as its administrator (DeployBrowserIT shares it). */
    static ConsoleServer server(Browser browser, TestEnvironment environment, Path folder) {
        var server = new ConsoleServer(environment, folder);
        browser.signIn(server.url("/signin"), ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
        return server;
    }

    private void upgradeTo(ConsoleServer server, String version) {
        upgradeTo(browser, server, version);
    }

    /** Upgrades through the Upgrades tab, as an administrator would. */
    static void upgradeTo(Browser browser, ConsoleServer server, String version) {
        browser.open(server.url("/upgrades"));
        new Select(browser.find("#to-version")).selectByValue(version);
        browser.clickAndLoad("#upgrade-button");
        browser.waitForText("#flash", "Upgraded the environment");
    }

    private static final List<String> PAGES = List.of("/", "/modules", "/applications", "/upgrades", "/modules/Core",
            "/applications/Sales", "/preparations/1", "/preparations/current");

    @Test
    void the_banner_is_on_every_page_during_a_run_and_after_it_and_leads_to_the_current_details() {
        try (var server = server("11.16.1")) {
            upgradeTo(server, "11.17.0");
            assertTrue(browser.text("#flash").contains("Preparation run #1 started"), browser.text("#flash"));
            for (String page : PAGES) {
                browser.open(server.url(page));
                var banner = browser.find("[data-banner=running]").getText();
                assertTrue(banner.contains("upgraded to Platform Server 11.17.0"), page + ": " + banner);
                assertTrue(banner.contains("0 of 7 modules prepared"), page + ": " + banner);
                assertEquals("current preparation details", browser.text("#banner-details"), page);
                assertTrue(browser.present("#sidebar-more-details"), page + " has the sidebar's More details link");
            }
            browser.clickAndLoad("#banner-details");
            assertTrue(browser.driver.getCurrentUrl().endsWith("/preparations/current"));
            // No worker yet: group 1 waits for its turn, and the page says so instead of showing it in progress.
            assertTrue(browser.text("#next-group").contains("group 1 of "), browser.text("#next-group"));
            assertFalse(browser.present("#group-in-progress"), "a group is in progress only while it is worked on");

            server.startWorker();
            server.awaitRunsEnded();
            browser.waitFor("[data-banner=failed]"); // live: the page was not reloaded
            for (String page : PAGES) {
                browser.open(server.url(page));
                var banner = browser.find("[data-banner=failed]").getText();
                assertTrue(banner.contains("Some modules could not be prepared for 11.17.0"), page + ": " + banner);
                assertTrue(banner.contains("1 failed, 2 blocked by them"), page + ": " + banner);
                assertTrue(browser.present("#banner-failures") && browser.present("#banner-prepare"), page);
            }
            // A viewer sees the same banner without its form, and pages without theirs: the server would refuse them.
            browser.signIn(server.url("/signin"), ConsoleServer.VIEWER, ConsoleServer.PASSWORD);
            browser.open(server.url("/modules/Billing"));
            assertTrue(browser.find("[data-banner=failed]").getText().contains("1 failed, 2 blocked by them"));
            assertFalse(browser.find("#banner-prepare").isDisplayed(), "a viewer's banner offers no Prepare");
            assertFalse(browser.present("#publish-button") || browser.present("#configurations-form"), "nor its page a change");
            assertTrue(browser.text("#configurations").contains("INV-"), "the configuration, to read");
            browser.signIn(server.url("/signin"), ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            browser.open(server.url("/modules/Billing"));
            // The banner is rendered once for every session: its form still carries this session's CSRF token.
            browser.find("#banner-prepare").click();
            assertTrue(browser.text("#flash").startsWith("Prepare started preparation run #2"), browser.text("#flash"));
        }
    }

    @Test
    void a_sequential_run_to_11_14_1_locks_every_module_and_each_action_is_refused_with_its_message() {
        try (var server = server("11.9.0")) {
            browser.open(server.url("/upgrades"));
            assertTrue(browser.present("#upgrade-known-issue"), "P5: from 11.9.0 the known issue is shown before upgrading");
            upgradeTo(server, "11.14.1");
            browser.open(server.url("/upgrades"));
            assertTrue(browser.text("#known-issue").contains("Publishing all applications is recommended"));
            assertTrue(browser.present("#publish-all-known-issue"));
            assertEquals("Click here for more details", browser.text("#banner-details"), "U1: up to 11.16.1");

            browser.open(server.url("/modules/Billing"));
            assertTrue(browser.text("#module-lock").contains("sequential preparation"));
            browser.clickAndLoad("#publish-button");
            String refusal = browser.text("#flash");
            assertTrue(refusal.contains("Publish of module Billing was refused (asked by admin at "), refusal);
            assertTrue(refusal.contains("locked by preparation run #1 (started "), refusal);
            assertTrue(refusal.contains("Wait for the run to finish"), refusal);

            browser.find("#config-0").clear();
            browser.find("#config-0").sendKeys("CHANGED-");
            browser.clickAndLoad("#apply-configurations");
            assertTrue(browser.text("#flash").startsWith("Apply configurations of module Billing was refused"), browser.text("#flash"));
            assertEquals("INV-", browser.find("#config-0").getAttribute("value"), "nothing changed");

            browser.click("#delete-open"); // opens the confirmation dialog
            browser.clickAndLoad("#delete-confirm");
            assertTrue(browser.text("#flash").startsWith("Delete of module Billing was refused"), browser.text("#flash"));
            assertEquals("Billing", browser.text("#module-name"), "the module is still there");
        }
    }

    @Test
    void an_administrator_prioritises_a_module_from_its_page_and_it_comes_next_with_its_producers_I4() {
        try (var server = server("11.16.1")) {
            // Groups of two, set on the Settings page: the seven modules make four groups.
            browser.open(server.url("/settings"));
            var groupSize = browser.find("#setting-group-size input[name=value]");
            groupSize.clear();
            groupSize.sendKeys("2");
            browser.clickAndLoad("#save-group-size");
            assertEquals("Changed group-size: 10 → 2.", browser.text("#flash"));
            upgradeTo(server, "11.17.0"); // no worker yet: every group waits

            // Reports waits on Billing, which waits on Utils, which waits on Core: a chain, so one a group (P6).
            browser.open(server.url("/modules/Reports"));
            browser.clickAndLoad("#prioritise-button");
            assertEquals("Prioritised module Reports in preparation run #1: 4 modules (with the producers it waits on) now in groups 1 to 4 of 4,"
                    + " next after the group in progress.", browser.text("#flash"));
            browser.open(server.url("/preparations/1"));
            String shown = browser.text("#priorities");
            assertTrue(shown.matches("(?s).*Module Reports by admin at .*: 4 modules moved to groups 1 to 4\\..*"), shown);
            List<String> chain = List.of("Core", "Utils", "Billing", "Reports");
            for (int group = 1; group <= 4; group++) {
                String modules = browser.text("#group-" + group + " tbody");
                assertTrue(modules.contains(chain.get(group - 1)), "group " + group + ": " + modules);
            }

            // What cannot move is refused with its reason, and the run is left as it was.
            browser.open(server.url("/modules/Draft")); // never published: not in the run
            browser.clickAndLoad("#prioritise-button");
            String refused = browser.text("#flash");
            assertTrue(refused.startsWith("Prioritising module Draft was refused: nothing of it waits in the groups not started of run #1"), refused);
            browser.open(server.url("/preparations/1"));
            assertEquals(1, browser.driver.findElements(org.openqa.selenium.By.cssSelector("#priorities li")).size(), "the refusal moved nothing");

            server.startWorker();
            server.awaitRunsEnded();
            browser.open(server.url("/modules/Reports"));
            browser.waitForText("#module-status-text", "Prepared for 11.17.0");
            browser.open(server.url("/audit"));
            assertTrue(browser.text("body").contains("prioritise"), "audited");
        }
    }

    @Test
    void the_report_lists_every_run_and_Prepare_after_a_fix_turns_the_failed_run_into_a_successful_one() throws IOException {
        try (var server = server("11.16.1")) {
            server.startWorker();
            upgradeTo(server, "11.17.0");
            server.awaitRunsEnded();
            browser.waitFor("[data-banner=failed]");

            browser.open(server.url("/upgrades"));
            assertTrue(browser.text("#run-1").contains("finished with errors"));
            browser.clickAndLoad("#run-1 .preparation-link");
            assertTrue(browser.text("#failure-Legacy").contains("cannot find symbol"), browser.text("#failure-Legacy"));
            assertTrue(browser.text("#group-2").contains("lock modules"), "P13: the steps of each group are shown");

            browser.open(server.url("/modules/Legacy"));
            assertTrue(browser.text("#module-status").contains("failed"));
            assertTrue(browser.text("#module-diagnostics").contains("Users.java") || browser.text("#module-diagnostics").contains("findByName"));

            browser.open(server.url("/modules/Orders"));
            browser.clickAndLoad("#publish-button");
            String refusal = browser.text("#flash");
            assertTrue(refusal.contains("Publish of module Orders was refused") && refusal.contains("Legacy (its preparation failed"), refusal);

            Path fix = environment("11.16.1").writeFix(dir.resolve("fixes"), "Legacy");
            Path zip = zip(fix, dir.resolve("Legacy.zip"));
            browser.open(server.url("/modules/Legacy"));
            browser.find("input[type=file][name=archive]").sendKeys(zip.toString());
            browser.clickAndLoad("form[action$='/upload'] button[type=submit]");
            browser.waitForText("#flash", "Uploaded Legacy: code version 2");
            browser.clickAndLoad("#publish-button");
            browser.waitForText("#flash", "Published Legacy with 11.17.0");

            browser.open(server.url("/upgrades"));
            browser.clickAndLoad("#prepare-button");
            browser.waitForText("#flash", "Prepare started preparation run #2");
            server.awaitRunsEnded();
            browser.waitFor("[data-banner=succeeded]");
            browser.clickAndLoad("#banner-upgrades");
            assertTrue(browser.text("#run-2").contains("succeeded"));
            assertTrue(browser.text("#run-1").contains("finished with errors"));
            browser.clickAndLoad("#run-2 .preparation-link");
            assertTrue(browser.driver.getCurrentUrl().endsWith("/preparations/2"));
            assertTrue(browser.text("#run-details").contains("Orders") && browser.text("#run-details").contains("Shop"));
            assertFalse(browser.present("#failures"));
        }
    }

    @Test
    void a_module_whose_producers_are_prepared_can_be_published_before_the_run_ends() {
        try (var server = server("11.16.1")) {
            server.startWorker();
            upgradeTo(server, "11.17.0");
            server.awaitRunsEnded();
            browser.waitFor("[data-banner=failed]");
            browser.open(server.url("/modules/Billing"));
            assertTrue(browser.text("#module-status-text").startsWith("Prepared for 11.17.0: publish it to use it"));
            browser.clickAndLoad("#publish-button");
            browser.waitForText("#flash", "Published Billing with 11.17.0");
            browser.waitForText("#module-status-text", "Running on 11.17.0");

            browser.open(server.url("/applications"));
            assertTrue(browser.text("#applications-table").contains("Finance"));
            browser.open(server.url("/applications/Sales"));
            assertTrue(browser.text("#application-readiness").contains("not ready"));
        }
    }

    @Test
    void search_and_status_filters_find_modules() {
        try (var server = server("11.16.1")) {
            browser.open(server.url("/modules"));
            browser.find("#module-search").sendKeys("bill");
            browser.clickAndLoad("#module-search-button");
            assertEquals(List.of("Billing"), names());
            browser.find("#module-search").clear();
            new Select(browser.find("#module-status-filter")).selectByValue("uploaded");
            browser.clickAndLoad("#module-search-button");
            assertEquals(List.of("Draft"), names());
            new Select(browser.find("#module-status-filter")).selectByValue("running");
            browser.clickAndLoad("#module-search-button");
            assertEquals(7, names().size());
        }
    }

    @Test
    void progress_updates_live_on_the_page_without_a_reload() {
        try (var server = server("11.16.1")) {
            upgradeTo(server, "11.17.0");
            browser.open(server.url("/modules"));
            assertEquals("in group 1", browser.text("[data-module-status=Core]"));
            browser.driver.executeScript("window.stillTheSamePage = 42;");
            server.startWorker();
            server.awaitRunsEnded();
            browser.waitForText("[data-module-status=Core]", "prepared");
            browser.waitForText("[data-module-status=Legacy]", "failed");
            browser.waitFor("[data-banner=failed]");
            assertEquals(42L, browser.driver.executeScript("return window.stillTheSamePage;"), "the page was not reloaded");
        }
    }

    @Test
    void the_banner_and_the_page_it_is_on_show_the_same_moment_throughout_a_run() {
        try (var server = server("11.16.1")) {
            TestEnvironment.setGroupSize(server.app, 1); // a moment for each module
            upgradeTo(server, "11.17.0");
            browser.open(server.url("/upgrades"));
            browser.waitFor("body[data-live-stamp]"); // the event stream is open
            browser.find("#upgrade-waits");
            // After every change to the page, as a user would see it: the banner's count against the current run's.
            browser.driver.executeScript("""
                    window.disagreements = [];
                    new MutationObserver(function () {
                      var banner = document.querySelector('#banner [data-banner]');
                      var counts = document.querySelector('#current-run [data-run-counts]').textContent.trim();
                      var running = banner.getAttribute('data-banner') === 'running';
                      var agree = running ? counts.startsWith(banner.getAttribute('data-prepared') + ' of ') : / 0 pending$/.test(counts);
                      if (!agree) { window.disagreements.push(banner.textContent.trim().replace(/\\s+/g, ' ') + ' | ' + counts); }
                    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
                    """);
            server.startWorker();
            server.awaitRunsEnded();
            browser.waitFor("[data-banner=failed]");
            browser.waitForText("#current-run [data-run-counts]", " 0 pending");
            browser.waitForText("#live-announcer", "Modules preparation finished with errors"); // told as on any page
            browser.find("#upgrade-form"); // the next upgrade is offered again, without a reload
            assertEquals(List.of(), browser.driver.executeScript("return window.disagreements;"));
        }
    }

    @Test
    void an_upgrade_made_elsewhere_shows_its_version_wherever_open_pages_name_it() {
        try (var server = server("11.16.1")) {
            // Pages with live regions (fetched again on an update) and one without (the update's own figures).
            var tabs = new java.util.LinkedHashMap<String, String>();
            for (String page : List.of("/", "/upgrades", "/modules")) {
                if (!tabs.isEmpty()) {
                    browser.driver.switchTo().newWindow(WindowType.TAB);
                }
                browser.open(server.url(page));
                browser.waitFor("body[data-live-stamp]");
                browser.driver.executeScript("window.stillTheSamePage = 42;");
                tabs.put(page, browser.driver.getWindowHandle());
            }
            try {
                server.app.preparations().upgrade("11.17.0", "admin");
                for (var tab : tabs.entrySet()) {
                    browser.driver.switchTo().window(tab.getValue());
                    browser.waitForText(".navbar [data-platform-version]", "11.17.0");
                    assertEquals(42L, browser.driver.executeScript("return window.stillTheSamePage;"), tab.getKey() + " was not reloaded");
                }
                assertEquals("11.17.0", browser.text("thead [data-platform-version]"), "the module list's status column");
                browser.driver.switchTo().window(tabs.get("/upgrades"));
                assertTrue(browser.text("#upgrade-card").contains("runs Platform Server 11.17.0"), browser.text("#upgrade-card"));
                assertEquals("An upgrade can start once run #1 in progress has ended.", browser.text("#upgrade-waits"));
                assertTrue(browser.driver.findElements(By.id("upgrade-form")).isEmpty(), "no upgrade offered while the run goes on");
                browser.find("#deploy-card"); // it comes with the first run
                browser.driver.switchTo().window(tabs.get("/"));
                assertTrue(browser.text("#overview-summary").startsWith("Platform Server 11.17.0"), browser.text("#overview-summary"));
            } finally {
                for (String handle : List.copyOf(tabs.values()).subList(1, tabs.size())) {
                    browser.driver.switchTo().window(handle).close();
                }
                browser.driver.switchTo().window(tabs.get("/"));
            }
        }
    }

    @Test
    void the_layout_holds_on_a_phone_without_sideways_scrolling() throws IOException {
        try (var server = server("11.16.1")) {
            upgradeTo(server, "11.17.0");
            server.startWorker();
            server.awaitRunsEnded();
            browser.waitFor("[data-banner=failed]");
            // The page's size, as AccessibilityBrowserIT sets it: the window the other tests click in is left alone.
            Keyboard.viewport(browser, 390, 844);
            try {
                for (String page : List.of("/", "/modules", "/modules/Legacy", "/applications", "/upgrades", "/preparations/1", "/audit")) {
                    browser.open(server.url(page));
                    String sideways = browser.sidewaysScrolling();
                    assertNull(sideways, page + " on a phone " + sideways);
                    var shot = browser.driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
                    Path file = Path.of("target", "screenshots", "phone" + page.replaceAll("[^A-Za-z0-9]", "_") + ".png");
                    Files.createDirectories(file.getParent());
                    Files.write(file, shot);
                }
            } finally {
                Keyboard.viewport(browser, 0, 0);
            }
        }
    }

    @Test
    void html_like_application_names_configuration_values_and_javac_diagnostics_show_as_text_and_inject_no_element() throws IOException {
        String script = "<script>alert(1)</script>";
        var env = new TestEnvironment("11.16.1")
                .add(new ModuleDef("Core", "Platform", true, List.of(), false, Map.of()))
                .add(new ModuleDef("Evil", script, true, List.of("Core"), false, Map.of("title", "<b>x</b>")));
        Path folder = env.write(dir.resolve("evil-env"));
        // A file name javac repeats in its diagnostic; the file calls findByName, so it fails on 11.17.0.
        Path hidden = folder.resolve("modules/Evil/src/m/evil/<img src=x onerror=alert(1)>.java");
        Files.writeString(hidden, "package m.evil;\n\nclass Hidden {\n    long v = platform.system.Users.findByName(\"x\");\n}\n");
        try (var server = new ConsoleServer(env, folder)) {
            var started = server.app.preparations().upgrade("11.17.0", "admin");
            server.startWorker();
            TestEnvironment.awaitEnd(server.app, started.runId(), java.time.Duration.ofSeconds(60));
            browser.signIn(server.url("/signin"), ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            for (String page : List.of("/modules/Evil", "/preparations/" + started.runId(), "/modules", "/applications")) {
                browser.open(server.url(page));
                browser.waitFor("body");
                assertTrue(browser.driver.findElements(By.tagName("img")).isEmpty(), page + ": no img element was injected");
                assertTrue(browser.driver.findElements(By.tagName("b")).isEmpty(), page + ": no b element was injected");
                for (var element : browser.driver.findElements(By.tagName("script"))) {
                    assertFalse(element.getAttribute("src").isEmpty(), page + ": only the console's own scripts");
                }
            }
            browser.open(server.url("/modules/Evil"));
            assertTrue(browser.text("#module-diagnostics").contains("src/m/evil/<img src=x onerror=alert(1)>.java:4: error: cannot find symbol"),
                    browser.text("#module-diagnostics"));
            assertEquals("<b>x</b>", browser.find("#config-0").getAttribute("value"), "the value, as text, in its field");
            var application = browser.driver.findElement(By.linkText(script));
            application.click();
            browser.waitForText("h1", script);
            assertTrue(browser.driver.getCurrentUrl().endsWith("/applications/%3Cscript%3Ealert(1)%3C%2Fscript%3E"), browser.driver.getCurrentUrl());
        }
    }

    private static List<String> names() {
        return browser.driver.findElements(By.cssSelector("#modules-table tbody td:first-child a")).stream().map(e -> e.getText()).toList();
    }

    private static Path zip(Path folder, Path zip) throws IOException {
        try (var out = new ZipOutputStream(Files.newOutputStream(zip)); var files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new ZipEntry(folder.relativize(file).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return zip;
    }
}
