package modprep.web;

import static modprep.db.schema.Tables.AUDIT_EVENT;
import static modprep.db.schema.Tables.ENVIRONMENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 1 in the console: the Settings page shows each installation setting, its value, default and
 * allowed values; administrators change them (CSRF, audited), not while a run they would disturb is in progress.
 */
class SettingsPageTest {
    @TempDir
    Path dir;

    private ConsoleServer server() {
        return new ConsoleServer(new TestEnvironment("11.16.1").module("Core").module("Web", "Core"), dir.resolve("env"));
    }

    private static List<String> audit(ConsoleServer server) {
        return server.app.database().dsl().select(AUDIT_EVENT.ACTOR, AUDIT_EVENT.TARGET, AUDIT_EVENT.OUTCOME, AUDIT_EVENT.DETAIL)
                .from(AUDIT_EVENT).where(AUDIT_EVENT.ACTION.eq("setting-change")).orderBy(AUDIT_EVENT.ID)
                .fetch(r -> r.value1() + " " + r.value2() + " " + r.value3() + ": " + r.value4());
    }

    private static int groupSize(ConsoleServer server) {
        return server.app.database().dsl().select(ENVIRONMENT.GROUP_SIZE).from(ENVIRONMENT).fetchOne(ENVIRONMENT.GROUP_SIZE);
    }

    @Test
    void the_page_shows_every_setting_with_its_value_default_and_allowed_values_and_the_sidebar_links_it_for_administrators() {
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var page = admin.get("/settings");
            assertEquals(200, page.status());
            for (String name : List.of("group-size", "progressive-preparation", "lease-timeout", "heartbeat-interval", "run-retention",
                    "compilation-retention", "audit-retention", "trusted-proxies")) {
                assertTrue(page.body().contains("id=\"setting-" + name + "\""), name);
                assertTrue(page.body().contains("id=\"save-" + name + "\""), "an administrator can change " + name);
            }
            assertTrue(page.body().contains("a whole number from 1 to 1000"), "allowed values are shown");
            assertTrue(admin.get("/").body().contains("id=\"nav-settings\""), "administrators find it in the navigation");
            var viewer = ConsoleClient.of(server).signedIn(ConsoleServer.VIEWER, ConsoleServer.PASSWORD);
            var read = viewer.get("/settings");
            assertEquals(200, read.status(), "viewers see everything");
            assertFalse(read.body().contains("id=\"save-group-size\""), "and change nothing");
            assertFalse(viewer.get("/").body().contains("id=\"nav-settings\""));
        }
    }

    @Test
    void a_page_fetched_again_for_a_live_update_leaves_the_outcome_of_an_action_to_the_page_the_user_opens() {
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            admin.get("/settings");
            var saved = admin.post("/settings", Map.of("name", "group-size", "value", "3"));
            var refreshed = admin.live(saved.location());
            assertTrue(refreshed.body().contains("data-page-stamp="), "the whole page, for its regions, banner and sidebar");
            assertEquals(null, ConsoleClient.flash(refreshed.body()));
            assertEquals("Changed group-size: 10 → 3.", admin.flashAfter(saved));
        }
    }

    @Test
    void an_administrator_changes_a_setting_with_an_audit_entry_and_a_bad_value_is_refused_in_one_line_changing_nothing() {
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            admin.get("/settings");
            assertEquals("Changed group-size: 10 → 3.", admin.flashAfter(admin.post("/settings", Map.of("name", "group-size", "value", "3"))));
            assertEquals(3, groupSize(server));
            assertTrue(admin.get("/settings").body().matches("(?s).*id=\"setting-group-size\".*?class=\"setting-value\">3<.*"));
            assertEquals("bad setting group-size (from the Settings page): '0' is out of range; allowed: a whole number from 1 to 1000",
                    admin.flashAfter(admin.post("/settings", Map.of("name", "group-size", "value", "0"))));
            assertTrue(admin.flashAfter(admin.post("/settings", Map.of("name", "colour", "value", "red")))
                    .startsWith("unknown setting 'colour' (from the Settings page); known installation settings: group-size,"));
            assertEquals(3, groupSize(server), "nothing was changed");
            var forged = admin.postExactly("/settings", Map.of("name", "group-size", "value", "9"));
            assertEquals(403, forged.status(), "a form without the session's CSRF token is refused");
            assertEquals(3, groupSize(server));
            var entries = audit(server);
            assertEquals(3, entries.size(), entries.toString());
            assertEquals("admin group-size succeeded: group-size: 10 → 3", entries.get(0));
            assertTrue(entries.get(1).startsWith("admin group-size refused: bad setting group-size"), entries.get(1));
            assertTrue(entries.get(2).startsWith("admin colour refused: unknown setting 'colour'"), entries.get(2));
        }
    }

    @Test
    void while_a_run_is_in_progress_the_page_says_which_settings_wait_for_it_and_a_change_of_one_is_refused_naming_the_run() {
        try (var server = server()) {
            long run = server.app.preparations().upgrade("11.17.0", "setup").runId(); // no worker yet: it stays in progress
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            String page = ConsoleClient.unescape(admin.get("/settings").body());
            String notNow = "Not now: preparation run #" + run + " (11.16.1 → 11.17.0) is in progress.";
            assertEquals(4, page.split(java.util.regex.Pattern.quote(notNow), -1).length - 1,
                    "group size, progressive preparation, lease timeout and heartbeat wait for the run");
            assertTrue(page.matches("(?s).*<button[^>]*id=\"save-group-size\" disabled.*"), "its Save button is disabled");
            String refused = admin.flashAfter(admin.post("/settings", Map.of("name", "lease-timeout", "value", "1m")));
            assertTrue(refused.startsWith("setting lease-timeout cannot be changed while preparation run #" + run + " (11.16.1 → 11.17.0)"
                    + " is in progress: "), refused);
            assertEquals("Changed audit-retention: off → 400d.",
                    admin.flashAfter(admin.post("/settings", Map.of("name", "audit-retention", "value", "400d"))));
        }
    }
}
