package modprep.web;

import static modprep.db.schema.Tables.AUDIT_EVENT;
import static modprep.db.schema.Tables.WEBHOOK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import modprep.access.AuditOutcome;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Notifications page over HTTP: administrators only, secrets shown once, every change audited and CSRF-checked. */
class NotificationsPageTest {
    private static final Pattern SECRET = Pattern.compile("<code[^>]*>(whsec_[0-9a-f]{64})</code>");

    @TempDir
    Path dir;

    private ConsoleServer server() {
        return new ConsoleServer(new TestEnvironment("11.16.1").module("Core"), dir.resolve("env"));
    }

    private static String shownSecret(String html) {
        var m = SECRET.matcher(html);
        return m.find() ? m.group(1) : null;
    }

    private static String storedSecret(ConsoleServer server) {
        return server.app.database().dsl().select(WEBHOOK.SECRET).from(WEBHOOK).fetchSingle(WEBHOOK.SECRET);
    }

    @Test
    void an_administrator_adds_a_webhook_sees_its_secret_once_rotates_it_and_removes_it_each_audited() {
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            admin.get("/notifications");
            var added = admin.post("/notifications/hooks", Map.of("url", "https://93.184.216.34/modprep"));
            var page = admin.get(added.location()).body();
            assertTrue(ConsoleClient.flash(page).startsWith("Added webhook #1. Copy its secret now"), page);
            assertEquals(storedSecret(server), shownSecret(page), "the secret shown is the one that signs");
            assertTrue(page.contains("https://93.184.216.34/modprep"));
            assertEquals(null, shownSecret(admin.get("/notifications").body()), "shown once");

            String before = storedSecret(server);
            var rotated = admin.get(admin.post("/notifications/hooks/1/rotate", Map.of()).location()).body();
            assertFalse(before.equals(storedSecret(server)));
            assertEquals(storedSecret(server), shownSecret(rotated));

            assertTrue(admin.flashAfter(admin.post("/notifications/hooks/1/delete", Map.of())).startsWith("Removed webhook #1"));
            assertEquals(0, server.app.database().dsl().fetchCount(WEBHOOK));
            assertEquals(List.of("webhook-add", "webhook-rotate", "webhook-remove"), server.app.database().dsl()
                    .select(AUDIT_EVENT.ACTION).from(AUDIT_EVENT).where(AUDIT_EVENT.ACTION.startsWith("webhook-"),
                            AUDIT_EVENT.OUTCOME.eq(AuditOutcome.SUCCEEDED.code()), AUDIT_EVENT.ACTOR.eq(ConsoleServer.ADMIN))
                    .orderBy(AUDIT_EVENT.ID).fetch(AUDIT_EVENT.ACTION));
        }
    }

    @Test
    void a_url_to_the_cloud_metadata_address_is_refused_with_its_reason_and_audited_as_refused() {
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            admin.get("/notifications");
            String flash = admin.flashAfter(admin.post("/notifications/hooks", Map.of("url", "http://169.254.169.254/latest/meta-data/")));
            assertTrue(flash.contains("resolves to 169.254.169.254, a link-local address"), flash);
            assertEquals(0, server.app.database().dsl().fetchCount(WEBHOOK));
            assertEquals(1, server.app.database().dsl().fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("webhook-add"),
                    AUDIT_EVENT.OUTCOME.eq(AuditOutcome.REFUSED.code())));
        }
    }

    @Test
    void viewers_neither_see_nor_change_webhooks_and_a_form_without_its_token_changes_nothing() {
        try (var server = server()) {
            var viewer = ConsoleClient.of(server).signedIn(ConsoleServer.VIEWER, ConsoleServer.PASSWORD);
            var page = viewer.get("/notifications");
            assertEquals(403, page.status());
            assertFalse(page.body().contains("id=\"nav-notifications\""), "no link for viewers");
            assertEquals(403, viewer.post("/notifications/hooks", Map.of("url", "https://93.184.216.34/x")).status());

            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            assertTrue(admin.get("/").body().contains("id=\"nav-notifications\""), "the administrators' menu has it");
            assertEquals(403, admin.postExactly("/notifications/hooks", Map.of("url", "https://93.184.216.34/x", "csrf", "forged")).status());
            assertEquals(0, server.app.database().dsl().fetchCount(WEBHOOK));
        }
    }
}
