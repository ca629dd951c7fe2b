package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import modprep.access.Role;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages rendered once per stamp for every session (Pages#renderShared): each session still reads its
 * own name and form token, what its role allows, and its own action's outcome.
 */
class SharedPagesTest {
    private static final Pattern META_TOKEN = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\">");
    private static final Pattern SIGNED_IN_AS = Pattern.compile("id=\"signed-in-as\">([^<]*)<");
    private static final List<String> SHARED = List.of("/", "/upgrades", "/preparations/current", "/applications", "/preparations/1", "/PrepareModules");
    private static final String OTHER_ADMIN = "ops.lead@example";

    @TempDir
    Path dir;

    private static String first(Pattern pattern, String html) {
        var matcher = pattern.matcher(html);
        assertTrue(matcher.find(), pattern.pattern());
        return matcher.group(1);
    }

    @Test
    void each_session_reads_its_own_name_token_and_role_on_a_page_rendered_once_for_all() {
        try (var server = new ConsoleServer(new TestEnvironment("11.16.1").module("Core").module("Web", "Core"), dir.resolve("env"))) {
            server.app.accounts().add(OTHER_ADMIN, Role.ADMINISTRATOR, ConsoleServer.PASSWORD);
            server.startWorker();
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            admin.get("/upgrades");
            admin.flashAfter(admin.post("/upgrades/upgrade", Map.of("toVersion", "11.17.0")));
            server.awaitRunsEnded();
            var other = ConsoleClient.of(server).signedIn(OTHER_ADMIN, ConsoleServer.PASSWORD);
            var viewer = ConsoleClient.of(server).signedIn(ConsoleServer.VIEWER, ConsoleServer.PASSWORD);
            for (String path : SHARED) {
                var mine = admin.get(path);
                String adminToken = admin.csrf;
                var theirs = other.get(path);
                String otherToken = other.csrf;
                var read = viewer.get(path);
                assertEquals(200, mine.status(), path);
                assertNotEquals(adminToken, otherToken);
                assertEquals("admin (administrator)", first(SIGNED_IN_AS, mine.body()), path);
                assertEquals(adminToken, first(META_TOKEN, mine.body()), path);
                assertFalse(mine.body().contains(otherToken), path);
                assertEquals(OTHER_ADMIN + " (administrator)", ConsoleClient.unescape(first(SIGNED_IN_AS, theirs.body())), path);
                assertEquals(otherToken, first(META_TOKEN, theirs.body()), path);
                assertFalse(theirs.body().contains(adminToken), path);
                assertFalse(theirs.body().contains("admin (administrator)"), path);
                assertTrue(mine.body().contains("id=\"nav-settings\""), path);
                assertFalse(read.body().contains("id=\"nav-settings\""), path + ": a viewer's page is not an administrator's");
                assertEquals("viewer (viewer)", first(SIGNED_IN_AS, read.body()), path);
                // Apart from the name and the token, the same page.
                assertEquals(mine.body().replace(adminToken, "T").replace("admin (administrator)", "U"),
                        theirs.body().replace(otherToken, "T").replace(first(SIGNED_IN_AS, theirs.body()), "U"), path);
            }
        }
    }

    @Test
    void an_actions_outcome_is_shown_to_its_user_alone_on_a_shared_page() {
        try (var server = new ConsoleServer(new TestEnvironment("11.16.1").module("Core").module("Web", "Core"), dir.resolve("env"))) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var viewer = ConsoleClient.of(server).signedIn(ConsoleServer.VIEWER, ConsoleServer.PASSWORD);
            admin.get("/upgrades");
            var upgraded = admin.post("/upgrades/upgrade", Map.of("toVersion", "11.17.0"));
            assertTrue(ConsoleClient.flash(viewer.get("/upgrades").body()) == null, "not the viewer's");
            String flash = admin.flashAfter(upgraded);
            assertTrue(flash.startsWith("Upgraded the environment from 11.16.1 to 11.17.0."), flash);
            assertEquals(null, ConsoleClient.flash(admin.get("/upgrades").body()), "shown once");
        }
    }

    @Test
    void the_audit_page_keeps_its_rows_yet_shows_a_new_entry_at_once() {
        try (var server = new ConsoleServer(new TestEnvironment("11.16.1").module("Core").module("Web", "Core"), dir.resolve("env"))) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            String before = admin.get("/audit").body();
            assertEquals(before.replace(admin.csrf, "T"), admin.get("/audit").body().replace(admin.csrf, "T"), "the same rows");
            assertFalse(before.contains("setting-change"));
            admin.flashAfter(admin.post("/settings", Map.of("name", "group-size", "value", "3")));
            String after = admin.get("/audit").body();
            assertTrue(after.contains("<td>setting-change</td>"), "the new entry");
            assertTrue(after.contains("group-size"), after);
        }
    }
}
