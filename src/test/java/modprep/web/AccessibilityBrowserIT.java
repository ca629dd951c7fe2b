package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import modprep.testing.TestEnvironment;
import modprep.testing.TestEnvironment.ModuleDef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.Select;

/**
 * WCAG 2.1 AA in a real browser (issue 16): axe-core on every page in every state a run goes through,
 * statuses told in words, every action reached from the keyboard with a visible focus, live updates
 * announced without moving the focus, and pages that reflow at 320 CSS px.
 */
class AccessibilityBrowserIT {
    /**
     * Every page of the console, as a signed-in administrator sees it. A new page joins this list (and,
     * if it only exists once something does, {@link #RUN_PAGES}): the tests below check it in every state.
     */
    static final List<String> PAGES = List.of("/", "/modules", "/modules?q=bill&status=running", "/modules/Billing",
            "/modules/Legacy", "/modules/Draft", "/applications", "/applications?ready=no", "/applications/Sales", "/upgrades",
            "/preparations/current", "/deployments/preview", "/audit", "/audit?outcome=refused", "/users", "/settings", "/notifications", "/nodes", "/no-such-page", "/modules/NoSuchModule");
    /** Pages of the latest run, once there is one (%d: its number). */
    static final List<String> RUN_PAGES = List.of("/preparations/%d", "/preparations/%d?failure=Legacy");

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

    /** Legacy calls Users.findByName (gone in 11.17.0): with {@code failing}, Orders and Shop are blocked by it. */
    private static TestEnvironment environment(boolean failing) {
        return new TestEnvironment("11.16.1")
                .add(new ModuleDef("Core", "Platform", true, List.of(), false, Map.of()))
                .add(new ModuleDef("Utils", "Platform", true, List.of("Core"), false, Map.of()))
                .add(new ModuleDef("Legacy", "Platform", true, List.of("Core"), failing, Map.of()))
                .add(new ModuleDef("Orders", "Sales", true, List.of("Legacy", "Utils"), false, Map.of()))
                .add(new ModuleDef("Shop", "Sales", true, List.of("Orders"), false, Map.of()))
                .add(new ModuleDef("Billing", "Finance", true, List.of("Utils"), false, Map.of("invoice.prefix", "INV-")))
                .add(new ModuleDef("Draft", "Finance", false, List.of("Core"), false, Map.of()));
    }

    private ConsoleServer server(boolean failing) {
        var server = new ConsoleServer(environment(failing), dir.resolve("env"));
        browser.signIn(server.url("/signin"), ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
        return server;
    }

    private static void upgrade(ConsoleServer server) {
        browser.open(server.url("/upgrades"));
        new Select(browser.find("#to-version")).selectByValue("11.17.0");
        browser.clickAndLoad("#upgrade-button");
        browser.waitForText("#flash", "Upgraded the environment");
    }

    /** Every page, and the pages of run {@code run} if not null, in the state the console is in now. */
    private static void checkEveryPage(ConsoleServer server, String state, Long run, List<String> problems) {
        var pages = new ArrayList<>(PAGES);
        if (run != null) {
            RUN_PAGES.forEach(page -> pages.add(page.formatted(run)));
        }
        for (String page : pages) {
            browser.open(server.url(page));
            check(state + ", " + page, problems);
        }
    }

    /** axe-core's WCAG 2.1 A and AA rules, and statuses told in words, on the page as it is now. */
    private static void check(String where, List<String> problems) {
        Axe.violations(browser.driver).forEach(v -> problems.add(where + ":\n" + v));
        toldByColourAlone().forEach(v -> problems.add(where + ": told by colour alone: " + v));
    }

    @Test
    void every_page_meets_WCAG_2_1_AA_before_during_and_after_a_run_with_errors_and_with_forms_refused() throws IOException {
        var problems = new ArrayList<String>();
        try (var server = new ConsoleServer(environment(true), dir.resolve("env"))) {
            browser.driver.manage().deleteAllCookies();
            browser.open(server.url("/signin"));
            check("sign-in", problems);
            browser.find("#name").sendKeys(ConsoleServer.ADMIN);
            browser.find("#password").sendKeys("not the password");
            browser.clickAndLoad("#signin-button");
            browser.find("#signin-error");
            check("sign-in refused", problems);
            browser.signIn(server.url("/signin"), ConsoleServer.ADMIN, ConsoleServer.PASSWORD);

            checkEveryPage(server, "no run", null, problems);

            // Forms refused: an upload that is no zip, a module name that is not one, the delete dialog open.
            Path notAZip = Files.writeString(dir.resolve("notes.zip"), "not a zip");
            browser.open(server.url("/modules/Billing"));
            browser.find("form[action$='/upload'] input[type=file]").sendKeys(notAZip.toString());
            browser.clickAndLoad("form[action$='/upload'] button[type=submit]");
            browser.find("#flash.alert-danger");
            check("upload refused, /modules/Billing", problems);
            browser.open(server.url("/modules"));
            browser.click("#upload-module summary");
            browser.find("#upload-name").sendKeys("not a name!");
            browser.find("#upload-archive").sendKeys(notAZip.toString());
            browser.clickAndLoad("#upload-module button[type=submit]");
            browser.find("#flash.alert-danger");
            check("new module refused, /modules", problems);
            browser.open(server.url("/modules/Billing"));
            browser.click("#delete-open");
            browser.waitFor("#delete-dialog.show");
            check("delete dialog open, /modules/Billing", problems);
            // A webhook, so that its table, its secret and (once runs publish events) the delivery log are checked too.
            browser.open(server.url("/notifications"));
            browser.find("#hook-url").sendKeys("https://93.184.216.34/modprep");
            browser.clickAndLoad("#add-hook");
            browser.find("#new-secret");
            check("webhook added, /notifications", problems);

            upgrade(server);
            checkEveryPage(server, "run in progress", 1L, problems);

            server.startWorker();
            browser.waitFor("[data-banner=failed]");
            checkEveryPage(server, "run with errors", 1L, problems);

            browser.signIn(server.url("/signin"), ConsoleServer.VIEWER, ConsoleServer.PASSWORD);
            browser.open(server.url("/modules/Billing"));
            // A viewer's pages offer no change (AccessControlTest); one sent anyway, with the session's token (from
            // the banner's form, hidden on a viewer's page), gets the refusal page.
            browser.driver.executeScript("var f = document.querySelector('form.admin-only'); f.action = arguments[0]; f.submit();",
                    "/modules/Billing/publish");
            browser.waitForText("h1", "Not allowed");
            check("viewer refused, /modules/Billing/publish", problems);
        }
        assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n" + String.join("\n", problems));
    }

    @Test
    void every_page_meets_WCAG_2_1_AA_after_a_successful_run() {
        var problems = new ArrayList<String>();
        try (var server = server(false)) {
            upgrade(server);
            server.startWorker();
            browser.waitFor("[data-banner=succeeded]");
            checkEveryPage(server, "successful run", 1L, problems);
            // Then deployed (issue 12): the deployment's page, and every page with the deployment's banner.
            long deployment = server.app.deployments().deploy("admin").deploymentId();
            var deployments = new modprep.readmodel.DeploymentQueries(server.app.database().dsl());
            TestEnvironment.awaitTrue("deployment #" + deployment + " ends", java.time.Duration.ofMinutes(2),
                    () -> !deployments.deployment(deployment, false).running());
            var pages = new ArrayList<>(PAGES);
            pages.add("/deployments/" + deployment);
            for (String page : pages) {
                browser.open(server.url(page));
                check("deployed, " + page, problems);
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n" + String.join("\n", problems));
    }

    @Test
    void Tab_reaches_every_action_of_every_page_with_a_visible_focus_after_a_skip_link_to_the_main_content() {
        var problems = new ArrayList<String>();
        try (var server = server(true)) {
            browser.driver.manage().deleteAllCookies();
            problems.addAll(Keyboard.tabThrough(browser, server.url("/signin"), false).stream().map(p -> "/signin: " + p).toList());
            browser.signIn(server.url("/signin"), ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            upgrade(server);
            server.startWorker();
            browser.waitFor("[data-banner=failed]");
            for (String page : PAGES) {
                problems.addAll(Keyboard.tabThrough(browser, server.url(page), true).stream().map(p -> page + ": " + p).toList());
            }
            for (String page : RUN_PAGES) {
                String path = page.formatted(1);
                problems.addAll(Keyboard.tabThrough(browser, server.url(path), true).stream().map(p -> path + ": " + p).toList());
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n" + String.join("\n", problems));
    }

    @Test
    void the_menu_the_upload_form_and_the_delete_dialog_open_close_and_give_the_focus_back_from_the_keyboard() {
        try (var server = server(false)) {
            browser.open(server.url("/modules/Billing"));
            Keyboard.focus(browser, "#factory-menu");
            Keyboard.press(browser, Keys.ENTER);
            browser.waitFor("#factory-menu + .dropdown-menu.show");
            Keyboard.press(browser, Keys.ARROW_DOWN);
            assertEquals("Modules", Keyboard.active(browser).getText(), "the arrow keys walk the menu");
            Keyboard.press(browser, Keys.ESCAPE);
            assertEquals("factory-menu", Keyboard.active(browser).getAttribute("id"), "Escape closes it and gives the focus back");

            Keyboard.focus(browser, "#delete-open");
            Keyboard.press(browser, Keys.ENTER);
            browser.waitFor("#delete-dialog.show");
            Keyboard.waitForFocusIn(browser, "#delete-dialog");
            var inDialog = Keyboard.tabUntil(browser, "#delete-confirm", 6);
            assertTrue(inDialog, "Tab reaches the dialog's Delete button");
            Keyboard.press(browser, Keys.ESCAPE);
            Keyboard.waitForFocusOn(browser, "#delete-open");

            browser.open(server.url("/modules"));
            Keyboard.focus(browser, "#upload-module summary");
            Keyboard.press(browser, Keys.ENTER);
            assertTrue(Keyboard.tabUntil(browser, "#upload-name", 2), "once open, Tab goes into the upload form");
            assertTrue(Keyboard.tabUntil(browser, "#upload-archive", 2) && Keyboard.tabUntil(browser, "#upload-module button[type=submit]", 2));
        }
    }

    @Test
    void live_updates_announce_each_group_done_and_the_end_of_the_run_and_leave_the_focus_where_it_was() {
        try (var server = server(true)) {
            TestEnvironment.setGroupSize(server.app, 1);
            upgrade(server);
            browser.open(server.url("/modules"));
            browser.waitFor("body[data-live-stamp]"); // the event stream is open
            Keyboard.focus(browser, "#sidebar-more-details"); // in the sidebar, which each update replaces
            browser.driver.executeScript("""
                    window.announced = [];
                    new MutationObserver(function () {
                      var text = document.getElementById('live-announcer').textContent.trim();
                      if (text) { window.announced.push(text); }
                    }).observe(document.getElementById('live-announcer'), { childList: true, characterData: true, subtree: true });
                    """);
            server.startWorker();
            browser.waitFor("[data-banner=failed]");
            browser.waitForText("#live-announcer", "Modules preparation finished with errors");

            @SuppressWarnings("unchecked")
            var announced = (List<String>) browser.driver.executeScript("return window.announced;");
            assertTrue(announced.get(announced.size() - 1).startsWith("Modules preparation finished with errors: 1 failed, 2 blocked"),
                    String.valueOf(announced));
            for (String text : announced.subList(0, announced.size() - 1)) {
                assertTrue(text.matches("Group \\d+ of \\d+ done: \\d+ of \\d+ modules prepared\\."), "only a group done or the end: " + text);
            }
            assertEquals(announced.size(), new java.util.HashSet<>(announced).size(), "each said once: " + announced);
            assertEquals("sidebar-more-details", Keyboard.active(browser).getAttribute("id"), "the focus stayed on the link it was on");
            assertEquals(0L, browser.driver.executeScript("return document.querySelectorAll('[role=alert], [aria-live=assertive]').length;"),
                    "nothing interrupts the reader");
        }
    }

    @Test
    void every_page_reflows_at_320_css_px_as_at_400_percent_zoom_and_at_200_percent_zoom_without_sideways_scrolling() throws IOException {
        var problems = new ArrayList<String>();
        try (var server = server(true)) {
            upgrade(server);
            server.startWorker();
            browser.waitFor("[data-banner=failed]");
            var pages = new ArrayList<>(PAGES);
            RUN_PAGES.forEach(page -> pages.add(page.formatted(1)));
            for (int width : new int[] {320, 640}) {
                Keyboard.viewport(browser, width, 800);
                try {
                    for (String page : pages) {
                        browser.open(server.url(page));
                        String sideways = browser.sidewaysScrolling();
                        if (sideways != null) {
                            problems.add(page + " at " + width + " CSS px " + sideways);
                        }
                        if (width == 320) {
                            check(page + " at 320 CSS px", problems);
                        }
                        if (page.equals("/modules/Legacy") || page.equals("/preparations/1")) {
                            screenshot("a11y-" + width + page.replaceAll("[^A-Za-z0-9]", "_"));
                        }
                    }
                } finally {
                    Keyboard.viewport(browser, 0, 0);
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n" + String.join("\n", problems));
    }

    private static void screenshot(String name) throws IOException {
        Path file = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(file.getParent());
        Files.write(file, browser.driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Statuses told by colour alone on the page: a badge with no words, a bar or a step that does not say where it is. */
    private static List<String> toldByColourAlone() {
        @SuppressWarnings("unchecked")
        var found = (List<String>) browser.driver.executeScript("""
                var problems = [];
                document.querySelectorAll('.badge').forEach(function (el) {
                  if (!el.textContent.trim()) { problems.push('a badge with no words: ' + el.outerHTML); }
                });
                document.querySelectorAll('[role=progressbar]').forEach(function (el) {
                  if (!/\\d+ of \\d+/.test(el.getAttribute('aria-valuetext') || '')) {
                    problems.push('a progress bar that does not say how far it is: ' + el.outerHTML);
                  }
                });
                document.querySelectorAll('.step').forEach(function (el) {
                  if (!/(done|in progress|waiting)/.test(el.textContent)) { problems.push('a step with no state: ' + el.outerHTML); }
                });
                return problems;
                """);
        return found;
    }
}
