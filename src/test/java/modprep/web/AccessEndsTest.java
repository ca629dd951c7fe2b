package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import modprep.ModprepException;
import modprep.access.ApiTokens;
import modprep.access.Role;
import modprep.testing.SteppedClock;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, L5: sign-out, a new password, disabling and removing a user end their access at once — the
 * next request, an open page's live stream, a remembered HTTP Basic credential, their API tokens — and
 * tokens expire and can be revoked. Everything is read from the database, so it holds on every node.
 */
class AccessEndsTest {
    private static final String PASSWORD = ConsoleServer.PASSWORD;
    private static final String VIEWER = ConsoleServer.VIEWER;

    @TempDir
    Path dir;

    private ConsoleServer server(java.time.Clock clock) {
        return new ConsoleServer(new TestEnvironment("11.16.1").module("Core"), dir.resolve("env"), clock);
    }

    /** Reads a live stream until an event of that name arrives; fails if the stream ends first. */
    static String awaitEvent(HttpResponse<InputStream> stream, String event) {
        // A hang guard only: the event comes within a second of the change, however slow the machine.
        return assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            var text = new StringBuilder();
            var in = stream.body();
            while (!text.toString().contains("event: " + event)) {
                int c = in.read();
                assertTrue(c >= 0, "the stream ended before the event '" + event + "': " + text);
                text.append((char) c);
            }
            return text.toString();
        });
    }

    private static boolean signedOut(ConsoleClient client) {
        var page = client.get("/");
        return page.status() == 302 && page.location().startsWith("/signin");
    }

    @Test
    void a_new_password_ends_the_users_sessions_live_pages_and_remembered_basic_credential_at_once_L5() throws IOException {
        try (var server = server(java.time.Clock.systemUTC())) {
            var viewer = ConsoleClient.of(server).signedIn(VIEWER, PASSWORD);
            var stream = viewer.stream("/events");
            awaitEvent(stream, "progress");
            var api = ConsoleClient.of(server);
            assertEquals(200, api.api("GET", "/api/status", null, ConsoleClient.basic(VIEWER, PASSWORD)).status());

            server.app.accounts().changePassword(VIEWER, "a brand new passphrase 42");

            awaitEvent(stream, "ended");
            stream.body().close();
            assertTrue(signedOut(viewer), "the session from before the new password is over");
            assertEquals(401, api.api("GET", "/api/status", null, ConsoleClient.basic(VIEWER, PASSWORD)).status(),
                    "the old password over Basic is refused at once, remembered or not");
            assertEquals(200, api.api("GET", "/api/status", null, ConsoleClient.basic(VIEWER, "a brand new passphrase 42")).status());
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, PASSWORD);
            assertEquals(200, admin.get("/").status(), "other users' sessions go on");
        }
    }

    @Test
    void signing_out_ends_the_open_pages_live_stream_L5() throws IOException {
        try (var server = server(java.time.Clock.systemUTC())) {
            var viewer = ConsoleClient.of(server).signedIn(VIEWER, PASSWORD);
            var stream = viewer.stream("/events");
            awaitEvent(stream, "progress");
            assertEquals(302, viewer.post("/signout", Map.of()).status());
            awaitEvent(stream, "ended");
            stream.body().close();
        }
    }

    @Test
    void disabling_a_user_ends_their_session_and_tokens_enabling_restores_them_and_both_are_audited_L5() {
        try (var server = server(java.time.Clock.systemUTC())) {
            String token = server.app.tokens().create(VIEWER, "dashboard", "admin", ApiTokens.DEFAULT_LIFETIME);
            var viewer = ConsoleClient.of(server).signedIn(VIEWER, PASSWORD);
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, PASSWORD);
            var api = ConsoleClient.of(server);
            assertEquals(200, api.api("GET", "/api/status", null, ConsoleClient.bearer(token)).status());

            var disabled = admin.post("/users/" + VIEWER + "/disable", Map.of());
            assertTrue(admin.flashAfter(disabled).startsWith("Disabled viewer"), "the page says what happened");
            assertTrue(signedOut(viewer), "the disabled user's session is over");
            assertEquals(401, api.api("GET", "/api/status", null, ConsoleClient.bearer(token)).status(), "and their token");
            var again = ConsoleClient.of(server).signIn(VIEWER, PASSWORD);
            assertEquals(401, again.status());
            assertTrue(ConsoleClient.unescape(again.body()).contains("This account is disabled"), "told only with the right password");
            var wrong = ConsoleClient.of(server).signIn(VIEWER, "not the password at all");
            assertTrue(ConsoleClient.unescape(wrong.body()).contains("Unknown user or wrong password."),
                    "a wrong password learns nothing about the account");

            admin.flashAfter(admin.post("/users/" + VIEWER + "/enable", Map.of()));
            assertEquals(302, ConsoleClient.of(server).signIn(VIEWER, PASSWORD).status(), "signs in again");
            assertEquals(200, api.api("GET", "/api/status", null, ConsoleClient.bearer(token)).status(), "the token works again");
            var audit = admin.get("/audit?q=viewer").body();
            assertTrue(audit.contains("user-disable") && audit.contains("user-enable"), "both are in the audit");
        }
    }

    @Test
    void the_last_enabled_administrator_can_be_neither_disabled_nor_removed_and_a_removed_users_tokens_go_L5() {
        try (var server = server(java.time.Clock.systemUTC())) {
            var accounts = server.app.accounts();
            var refused = assertThrows(ModprepException.class, () -> accounts.disable(ConsoleServer.ADMIN));
            assertTrue(refused.getMessage().contains("only enabled administrator left"), refused.getMessage());
            assertThrows(ModprepException.class, () -> accounts.remove(ConsoleServer.ADMIN));
            accounts.add("second", Role.ADMINISTRATOR, PASSWORD);
            accounts.disable(ConsoleServer.ADMIN);
            assertThrows(ModprepException.class, () -> accounts.remove("second"), "the only enabled one now");

            String token = server.app.tokens().create(VIEWER, "ci", "second", ApiTokens.DEFAULT_LIFETIME);
            accounts.remove(VIEWER);
            assertNull(server.app.tokens().user(token));
            assertTrue(server.app.tokens().list().isEmpty(), "the removed user's tokens are gone");
            assertThrows(ModprepException.class, () -> accounts.remove(VIEWER), "not found the second time");
        }
    }

    @Test
    void a_token_is_refused_once_it_expires_or_is_revoked_and_the_users_page_says_which_L5() {
        var clock = new SteppedClock(Instant.parse("2026-11-29T10:00:00Z"));
        try (var server = server(clock)) {
            var tokens = server.app.tokens();
            String week = tokens.create(VIEWER, "a week", "admin", Duration.ofDays(7));
            String monitoring = tokens.create(VIEWER, "prometheus", "admin", Duration.ofDays(365));
            var api = ConsoleClient.of(server);
            assertEquals(200, api.api("GET", "/api/status", null, ConsoleClient.bearer(week)).status());
            clock.advance(Duration.ofDays(8));
            assertEquals(401, api.api("GET", "/api/status", null, ConsoleClient.bearer(week)).status(), "expired");
            assertEquals(200, api.api("GET", "/api/status", null, ConsoleClient.bearer(monitoring)).status(), "still valid");

            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, PASSWORD);
            long id = tokens.list().stream().filter(t -> t.name().equals("prometheus")).findFirst().orElseThrow().id();
            assertTrue(admin.flashAfter(admin.post("/users/tokens/" + id + "/revoke", Map.of())).startsWith("Revoked API token #" + id));
            assertEquals(401, api.api("GET", "/api/status", null, ConsoleClient.bearer(monitoring)).status(), "revoked");
            String again = admin.flashAfter(admin.post("/users/tokens/" + id + "/revoke", Map.of()));
            assertTrue(again.contains("already revoked by admin"), again);

            String page = admin.get("/users").body();
            assertTrue(page.contains(">expired<") && page.contains(">revoked<"), "the page tells expired from revoked");
            var refused = assertThrows(ModprepException.class, () -> tokens.create(VIEWER, "forever", "admin", Duration.ofDays(3650)));
            assertTrue(refused.getMessage().contains("1 to 730 days"), refused.getMessage());
        }
    }

    @Test
    void a_viewer_can_neither_revoke_tokens_nor_disable_users_L5() {
        try (var server = server(java.time.Clock.systemUTC())) {
            var viewer = ConsoleClient.of(server).signedIn(VIEWER, PASSWORD);
            assertEquals(403, viewer.post("/users/" + ConsoleServer.ADMIN + "/disable", Map.of()).status());
            String token = server.app.tokens().create(ConsoleServer.ADMIN, "ci", "admin", ApiTokens.DEFAULT_LIFETIME);
            long id = server.app.tokens().list().get(0).id();
            assertEquals(403, viewer.post("/users/tokens/" + id + "/revoke", Map.of()).status());
            assertEquals(200, ConsoleClient.of(server).api("GET", "/api/status", null, ConsoleClient.bearer(token)).status());
            assertTrue(viewer.get("/users").body().contains("tokens-table"), "a viewer sees the tokens, without their values");
        }
    }
}
