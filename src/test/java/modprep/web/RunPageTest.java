package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import modprep.preparation.GroupDriver;
import modprep.preparation.WorkerKind;
import modprep.status.ModuleStatus;
import modprep.status.RunStatus;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** U4: a run with more failures than one page holds shows them a page at a time, each with its whole diagnostics. */
class RunPageTest {
    private static final int FAILING = RunPages.FAILURES_PER_PAGE + 5;

    @TempDir
    Path dir;

    private static int failureCards(String html) {
        return (int) Pattern.compile("class=\"card mb-2 border-danger failure\"").matcher(html).results().count();
    }

    @Test
    void failures_are_paged_and_a_javac_errors_link_leads_to_the_page_that_holds_the_failure() {
        var env = new TestEnvironment("11.16.1").module("Core");
        for (int i = 1; i <= FAILING; i++) {
            env.failing("Legacy%02d".formatted(i), "Core");
        }
        try (var server = new ConsoleServer(env, dir.resolve("env"))) {
            var upgrade = server.app.preparations().upgrade("11.17.0", "admin");
            try (var worker = server.app.worker(WorkerKind.SERVER).start()) {
                assertEquals(RunStatus.FAILED, TestEnvironment.awaitEnd(server.app, upgrade.runId(), Duration.ofSeconds(120)).status());
            }
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            String path = "/preparations/" + upgrade.runId();

            String first = admin.get(path).body();
            assertTrue(first.matches("(?s).*UTC</span><span>, ended .*"), "the run's end follows its start, with no space before the comma");
            assertTrue(first.contains("Failures (" + FAILING + ")"), "the heading counts every failure");
            assertEquals(RunPages.FAILURES_PER_PAGE, failureCards(first));
            assertTrue(first.contains("cannot find symbol"), "each failure shows javac's own diagnostics");
            assertTrue(first.contains("failures=2"), "a link to the next page of failures");

            String second = admin.get(path + "?failures=2").body();
            assertEquals(FAILING - RunPages.FAILURES_PER_PAGE, failureCards(second));

            // Every failure is on exactly one page; the last one's "javac errors" link finds its page.
            String last = "Legacy%02d".formatted(FAILING);
            assertTrue(!first.contains("id=\"failure-" + last + "\"") && second.contains("id=\"failure-" + last + "\""));
            String link = path + "?failure=" + last;
            assertTrue(first.contains(link + "#failure-" + last), "the group lists it with a link to its failure");
            assertTrue(admin.get(link).body().contains("id=\"failure-" + last + "\""));

            assertEquals(200, admin.get(path + "?failures=999").status(), "a page out of range shows the last one");
            assertEquals(FAILING - RunPages.FAILURES_PER_PAGE, failureCards(admin.get(path + "?failures=999").body()));
        }
    }

    @Test
    void the_page_of_a_run_in_progress_shows_each_group_as_it_is_prepared() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Web", "Core").module("Shop", "Web");
        try (var server = new ConsoleServer(env, dir.resolve("env"))) {
            var upgrade = server.app.preparations().upgrade("11.17.0", "admin");
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            String path = "/preparations/" + upgrade.runId();
            var prepared = Pattern.compile(Pattern.quote(ModuleStatus.PREPARED.badge() + "\">prepared<"));

            String before = admin.get(path).body();
            assertEquals(0, prepared.matcher(before).results().count(), "nothing prepared yet");

            // A group ends: the page (rendered once per state of the run) shows it at once.
            assertTrue(new GroupDriver(server.app, upgrade.runId()).prepare(1, GroupDriver.StopAfter.NOTHING));
            String after = admin.get(path).body();
            assertTrue(prepared.matcher(after).results().count() >= 1, "group 1's modules shown prepared");
        }
    }

    @Test
    void the_progress_picture_shows_the_moment_of_the_pages_stamp_not_a_group_ended_since_U2() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Web", "Core").module("Shop", "Web");
        try (var server = new ConsoleServer(env, dir.resolve("env"))) {
            var upgrade = server.app.preparations().upgrade("11.17.0", "admin");
            var driver = new GroupDriver(server.app, upgrade.runId());
            assertTrue(driver.prepare(1, GroupDriver.StopAfter.NOTHING));
            var dsl = server.app.database().dsl();
            var stamp = new modprep.readmodel.StatusBoard(server.app.database()).stamp(); // a page read its stamp: group 1 done
            assertTrue(driver.prepare(2, GroupDriver.StopAfter.NOTHING)); // group 2 ends while the page renders

            var progress = new modprep.readmodel.PictureQueries(dsl).progress(stamp, java.time.Instant.now(), null);
            assertEquals(1, stamp.latestRun().counts().prepared());
            assertEquals(stamp.latestRun().counts().prepared(), progress.prepared(), "the picture says what the banner says");
        }
    }

    @Test
    void the_current_details_show_a_group_in_progress_only_while_it_is_worked_on_and_agree_with_the_banner_U2() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Web", "Core").module("Shop", "Web");
        try (var server = new ConsoleServer(env, dir.resolve("env"))) {
            var upgrade = server.app.preparations().upgrade("11.17.0", "admin");
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);

            String waiting = admin.get("/preparations/current").body();
            assertTrue(waiting.contains("group 1 of 3 is next"), "no worker yet: group 1 waits for its turn");
            assertFalse(waiting.contains("id=\"group-in-progress\""), "and is not shown in progress");
            assertFalse(waiting.contains("(group 1 of 3)"), "nor in the banner");
            assertTrue(waiting.contains("0 of 3 modules prepared</span>."), "whose sentence ends there: " + waiting);

            var driver = new GroupDriver(server.app, upgrade.runId());
            driver.prepare(1, GroupDriver.StopAfter.LOCK); // group 1 locked, its next step started: worked on
            String working = admin.get("/preparations/current").body();
            assertTrue(working.contains("Group 1 of 3 is being prepared"), "the group worked on is in progress");
            assertTrue(working.contains("(group 1 of 3)"), "and the banner says the same group");
            driver.dieLikeAKilledProcess();
        }
    }
}
