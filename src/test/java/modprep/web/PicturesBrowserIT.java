package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The pictures in a real browser, on ConsoleBrowserIT's small graph (Legacy fails on 11.17.0, blocking
 * Orders and Shop): they render, and each box, bar and point follows the statuses, in the picture and
 * in its table.
 */
class PicturesBrowserIT {
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

    /** The class of the box of {@code module} in the neighbourhood picture (its status and whether it is locked). */
    private static String box(String module) {
        return browser.find("#neighbourhood-picture g[data-module='" + module + "']").getAttribute("class");
    }

    /** The words the picture writes in that box. */
    private static String words(String module) {
        return browser.find("#neighbourhood-picture g[data-module='" + module + "']").getAttribute("textContent");
    }

    /** The table alternative's row of that module. */
    private static String row(String module) {
        return browser.find("#neighbourhood-table tr[data-module='" + module + "']").getAttribute("textContent");
    }

    @Test
    void the_neighbourhood_of_a_module_follows_the_statuses_of_its_producers_and_consumers_through_a_run() {
        try (var server = ConsoleBrowserIT.server(browser, ConsoleBrowserIT.environment("11.16.1"), dir.resolve("env"))) {
            browser.open(server.url("/modules/Orders"));
            var svg = browser.find("#neighbourhood-picture");
            assertEquals("img", svg.getAttribute("role"));
            assertEquals("Neighbourhood of Orders", browser.find("#neighbourhood-picture-title").getAttribute("textContent"));
            for (String module : List.of("Core", "Legacy", "Utils", "Orders", "Shop")) {
                assertTrue(box(module).contains("pic-running"), module + ": " + box(module));
                assertTrue(words(module).contains("running on 11.16.1"), words(module));
            }
            assertEquals(5, browser.driver.findElements(By.cssSelector("#neighbourhood-picture .pic-edge")).size(),
                    "Core→Legacy, Core→Utils, Legacy→Orders, Utils→Orders, Orders→Shop");

            ConsoleBrowserIT.upgradeTo(browser, server, "11.17.0");
            browser.open(server.url("/modules/Orders"));
            assertTrue(box("Legacy").contains("pic-pending") && words("Legacy").contains("in group"), words("Legacy"));

            server.startWorker();
            server.awaitRunsEnded();
            browser.open(server.url("/modules/Orders"));
            assertTrue(box("Legacy").contains("pic-failed") && words("Legacy").contains("failed"), box("Legacy"));
            assertTrue(box("Orders").contains("pic-blocked") && words("Orders").contains("blocked by Legacy"), words("Orders"));
            assertTrue(box("Shop").contains("pic-blocked"), box("Shop"));
            assertTrue(box("Core").contains("pic-prepared") && words("Core").contains("prepared"), box("Core"));
            assertTrue(row("Legacy").contains("failed") && row("Legacy").contains("Producers"), row("Legacy"));
            assertTrue(row("Core").contains("Producers' producers"), row("Core"));
        }
    }

    @Test
    void a_sequential_run_locks_every_module_and_the_picture_marks_each_box_locked() {
        try (var server = ConsoleBrowserIT.server(browser, ConsoleBrowserIT.environment("11.9.0"), dir.resolve("env"))) {
            ConsoleBrowserIT.upgradeTo(browser, server, "11.14.1");
            browser.open(server.url("/modules/Utils"));
            for (String module : List.of("Core", "Utils", "Orders", "Billing", "Shop", "Reports")) {
                assertTrue(box(module).contains("pic-locked"), module + ": " + box(module));
                assertTrue(words(module).startsWith(module + "locked · "), words(module));
                assertTrue(row(module).contains("locked"), row(module));
            }
        }
    }

    @Test
    void the_run_page_draws_each_group_as_a_bar_with_its_failures_and_the_current_details_draw_prepared_over_time() {
        try (var server = ConsoleBrowserIT.server(browser, ConsoleBrowserIT.environment("11.16.1"), dir.resolve("env"))) {
            ConsoleBrowserIT.upgradeTo(browser, server, "11.17.0");
            browser.open(server.url("/preparations/current"));
            assertEquals("img", browser.find("#progress-picture").getAttribute("role"));
            assertEquals("0", lastCell("#progress-table"), "nothing prepared before a worker starts");

            server.startWorker();
            server.awaitRunsEnded();
            browser.open(server.url("/preparations/1"));
            assertEquals("img", browser.find("#timeline-picture").getAttribute("role"));
            var bars = browser.driver.findElements(By.cssSelector("#timeline-picture g[data-group]"));
            var rows = browser.driver.findElements(By.cssSelector("#timeline-table tbody tr"));
            assertEquals(rows.size(), bars.size(), "one table row per bar");
            var failedBars = browser.driver.findElements(By.cssSelector("#timeline-picture g.pic-bar-failed"));
            assertEquals(1, failedBars.size(), "Legacy's group");
            assertTrue(failedBars.get(0).getAttribute("textContent").contains("✕ 1 failed"), failedBars.get(0).getAttribute("textContent"));

            browser.open(server.url("/preparations/current"));
            assertEquals("4", lastCell("#progress-table"), "Core, Utils, Billing and Reports prepared; Legacy failed, Orders and Shop blocked");
            assertTrue(browser.find("#progress-picture-desc").getAttribute("textContent").startsWith("4 of 7 modules prepared"));
        }
    }

    private static String lastCell(String table) {
        var cells = browser.driver.findElements(By.cssSelector(table + " tbody tr:last-child td"));
        return cells.get(cells.size() - 1).getAttribute("textContent").strip();
    }
}
