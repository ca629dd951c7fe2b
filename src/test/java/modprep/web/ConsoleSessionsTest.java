package modprep.web;

import static modprep.db.schema.Tables.CONSOLE_SESSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Console sessions live in the database (console_session), not in a node's memory: a second console on
 * the same database stands for another node of the installation, with its own Jetty and session cache.
 * Subclassed to run on PostgreSQL ({@link ConsoleSessionsOnPostgreSQLTest}).
 */
class ConsoleSessionsTest {
    @TempDir
    Path dir;

    private ConsoleServer server() {
        return new ConsoleServer(new TestEnvironment("11.16.1").module("Core"), dir.resolve("env"));
    }

    @Test
    void a_user_signed_in_through_one_node_is_signed_in_on_another_which_takes_their_forms_and_their_sign_out() {
        try (var server = server()) {
            var first = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var second = first.at(server.anotherNode());
            var page = second.get("/users");
            assertEquals(200, page.status(), "signed in on the other node");
            assertTrue(page.body().contains(ConsoleServer.ADMIN));

            // A form of the other node (the session's CSRF token) changes the session there, and the first node sees the change.
            var created = second.post("/users/tokens", Map.of("user", ConsoleServer.VIEWER, "name", "ci", "days", "30"));
            assertEquals(302, created.status(), created.body());
            String flash = first.flashAfter(created);
            assertTrue(flash != null && flash.startsWith("Created API token 'ci'"), "the flash set on one node, shown by the other: " + flash);

            assertEquals(302, second.post("/signout", Map.of()).status());
            assertEquals(0, server.sessions(), "sign-out deletes the stored session");
            var after = first.get("/users");
            assertEquals(302, after.status(), "signed out on the first node too");
            assertTrue(after.location().startsWith("/signin"), after.location());
        }
    }

    @Test
    void a_sign_out_through_one_node_ends_the_live_stream_open_on_another_and_the_session_there() throws java.io.IOException {
        try (var server = server()) {
            var first = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var stream = first.stream("/events");
            AccessEndsTest.awaitEvent(stream, "progress");
            var second = first.at(server.anotherNode());
            assertEquals(302, second.post("/signout", Map.of()).status());
            AccessEndsTest.awaitEvent(stream, "ended");
            stream.body().close();
            var page = first.get("/modules");
            assertEquals(302, page.status(), "the open page's node signed them out too, though its stream held the session");
        }
    }

    @Test
    void a_sign_in_form_shown_by_one_node_signs_in_through_another() {
        try (var server = server()) {
            var browser = ConsoleClient.of(server);
            assertEquals(200, browser.get("/signin").status());
            var other = browser.at(server.anotherNode());
            var answer = other.post("/signin", Map.of("name", ConsoleServer.ADMIN, "password", ConsoleServer.PASSWORD, "next", "/modules"));
            assertEquals(302, answer.status(), answer.body());
            assertEquals("/modules", answer.location());
            assertEquals(200, browser.get("/modules").status(), "and the first node knows the session at once");
        }
    }

    @Test
    void signed_out_visitors_store_no_session_a_sign_in_stores_one_and_sign_out_deletes_it() {
        try (var server = server()) {
            var visitor = ConsoleClient.of(server);
            for (String path : List.of("/", "/modules", "/signin", "/signin?next=/modules", "/health", "/metrics", "/static/css/modprep.css",
                    "/static/nope.css", "/events", "/api/status")) {
                visitor.get(path);
            }
            var refused = visitor.post("/signin", Map.of("name", ConsoleServer.ADMIN, "password", "not the password"));
            assertEquals(401, refused.status());
            assertEquals(401, visitor.postExactly("/signout", Map.of()).status(), "a sign-out without a session");
            assertEquals(0, server.sessions(), "pages, the sign-in form, /health, /metrics, static files, a failed sign-in: no stored session");

            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            assertEquals(1, server.sessions(), "a successful sign-in stores one");
            long savedBefore = lastSaved(server);
            for (int i = 0; i < 5; i++) {
                assertEquals(200, admin.get("/modules").status());
            }
            assertEquals(1, server.sessions(), "pages of the session store no other");
            long savedAfter = lastSaved(server);
            assertTrue(savedAfter == savedBefore || savedAfter - savedBefore >= ConsoleSessions.SAVE_PERIOD_SECONDS * 1000L,
                    "a page view that changes nothing writes the row at most once per save period");
            assertEquals(302, admin.post("/signout", Map.of()).status());
            assertEquals(0, server.sessions(), "sign-out deletes it");
        }
    }

    @Test
    void a_restarted_console_keeps_everyone_signed_in_with_their_forms_working() {
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var form = ConsoleClient.of(server);
            form.get("/signin");
            server.restartConsole();
            assertEquals(200, admin.get("/modules").status(), "the same cookie is still signed in");
            assertEquals(302, form.post("/signin", Map.of("name", ConsoleServer.VIEWER, "password", ConsoleServer.PASSWORD)).status(),
                    "a sign-in form shown before the restart still signs in");
            var created = admin.post("/users/tokens", Map.of("user", ConsoleServer.VIEWER, "name", "after-restart", "days", "30"));
            assertEquals(302, created.status(), "the session's CSRF token still holds: " + created.body());
        }
    }

    @Test
    void the_scavenger_removes_the_rows_of_expired_sessions_and_leaves_the_others() {
        try (var server = server()) {
            var expiring = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var staying = ConsoleClient.of(server).signedIn(ConsoleServer.VIEWER, ConsoleServer.PASSWORD);
            assertEquals(2, server.sessions());
            // Idle past its timeout, as its stored expiry says (every node reads it there).
            server.app.database().dsl().update(CONSOLE_SESSION).set(CONSOLE_SESSION.EXPIRY_TIME, System.currentTimeMillis() - 1000)
                    .where(CONSOLE_SESSION.SESSION_ID.eq(sessionId(expiring))).execute();
            server.scavengeSessions();
            assertEquals(List.of(sessionId(staying)), server.app.database().dsl().select(CONSOLE_SESSION.SESSION_ID).from(CONSOLE_SESSION)
                    .fetch(CONSOLE_SESSION.SESSION_ID), "only the expired session's row is gone");
            assertEquals(302, expiring.get("/modules").status());
            assertEquals(200, staying.get("/modules").status());
            // Jetty adds up to 10 % at random, so that the nodes do not all scavenge at once.
            long interval = server.sessionIds().getSessionHouseKeeper().getIntervalSec();
            assertTrue(interval >= ConsoleSessions.SCAVENGE_SECONDS && interval <= ConsoleSessions.SCAVENGE_SECONDS * 11 / 10,
                    "it runs every minute or so: " + interval + " s");
        }
    }

    @Test
    void a_stored_session_this_modprep_cannot_read_is_signed_out_and_removed_not_an_error() {
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            server.app.database().dsl().update(CONSOLE_SESSION).set(CONSOLE_SESSION.ATTRIBUTES, new byte[] {1, 2, 3}).execute();
            var page = admin.get("/modules");
            assertEquals(302, page.status(), page.body());
            assertTrue(page.location().startsWith("/signin"), page.location());
            assertEquals(0, server.sessions());
        }
    }

    private static long lastSaved(ConsoleServer server) {
        return server.app.database().dsl().select(CONSOLE_SESSION.LAST_SAVED_TIME).from(CONSOLE_SESSION).fetchSingle().value1();
    }

    /** The session's id, as the cookie carries it with the worker's name after a dot. */
    static String sessionId(ConsoleClient client) {
        String value = client.cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(ConsoleSessions.COOKIE))
                .findFirst().orElseThrow().getValue();
        return value.substring(0, value.lastIndexOf('.'));
    }
}
