package modprep.cli;

import static modprep.testing.InProcessCli.modprep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import modprep.Modprep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14, L5 at the command line: `modprep user disable|enable|remove|list|tokens|revoke-token`, and token lifetimes. */
class UserCommandTest {
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;

    private String data() {
        return dir.resolve("data").toString();
    }

    @Test
    void users_are_disabled_enabled_and_removed_and_tokens_listed_and_revoked_each_audited_L5() {
        assertEquals(0, modprep(PASSWORD + "\n", "--data", data(), "user", "add", "admin", "--role", "administrator").exitCode());
        assertEquals(0, modprep(PASSWORD + "\n", "--data", data(), "user", "add", "dana", "--role", "viewer").exitCode());
        var created = modprep("", "--data", data(), "user", "token", "dana", "--name", "grafana", "--days", "365");
        assertEquals(0, created.exitCode(), created.err());
        String token = created.out().strip();

        var tooLong = modprep("", "--data", data(), "user", "token", "dana", "--name", "forever", "--days", "3650");
        assertEquals(ExitCodes.BAD_INPUT, tooLong.exitCode());
        assertTrue(tooLong.err().contains("a token lives 1 to 730 days, not 3650"), tooLong.err());

        var tokens = modprep("", "--data", data(), "user", "tokens");
        assertTrue(tokens.out().contains("grafana") && tokens.out().contains("usable") && !tokens.out().contains(token),
                "listed, never with its value: " + tokens.out());

        assertEquals(0, modprep("", "--data", data(), "user", "disable", "dana").exitCode());
        assertTrue(modprep("", "--data", data(), "user", "list").out().contains("disabled since"));
        try (var app = Modprep.open(dir.resolve("data"))) {
            assertNull(app.tokens().user(token), "a disabled user's token is refused");
        }
        assertEquals(0, modprep("", "--data", data(), "user", "enable", "dana").exitCode());
        try (var app = Modprep.open(dir.resolve("data"))) {
            assertNotNull(app.tokens().user(token), "and accepted again once enabled");
        }

        var revoked = modprep("", "--data", data(), "user", "revoke-token", "1");
        assertEquals(0, revoked.exitCode(), revoked.err());
        assertTrue(revoked.out().contains("Revoked API token #1 (grafana)"), revoked.out());
        assertEquals(ExitCodes.REFUSED, modprep("", "--data", data(), "user", "revoke-token", "1").exitCode(), "already revoked");
        assertEquals(ExitCodes.NOT_FOUND, modprep("", "--data", data(), "user", "revoke-token", "99").exitCode());

        var lastAdmin = modprep("", "--data", data(), "user", "remove", "admin");
        assertEquals(ExitCodes.REFUSED, lastAdmin.exitCode());
        assertTrue(lastAdmin.err().contains("only enabled administrator left"), lastAdmin.err());
        assertEquals(0, modprep("", "--data", data(), "user", "remove", "dana").exitCode());
        assertEquals(ExitCodes.NOT_FOUND, modprep("", "--data", data(), "user", "disable", "dana").exitCode());

        try (var app = Modprep.open(dir.resolve("data"))) {
            var actions = app.audit().find(new modprep.access.Audit.Filter(null, null, null, null), 0, 100).stream()
                    .map(e -> e.action() + " " + e.outcome().code()).toList();
            for (String expected : new String[] {"user-disable succeeded", "user-enable succeeded", "token-revoke succeeded",
                    "token-revoke refused", "user-remove refused", "user-remove succeeded"}) {
                assertTrue(actions.contains(expected), expected + " in " + actions);
            }
        }
    }
}
