package modprep.cli;

import static modprep.db.schema.Tables.AUDIT_EVENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import modprep.Modprep;
import modprep.testing.ModprepProcess;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, items 1, 2 and 4 at the command line: `modprep config` with sources and secrets masked,
 * `modprep settings` list/get/set (audited, refused during a run), and bad settings with exit code 2.
 */
class SettingsCliTest {
    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {
    }

    private static Result modprep(Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var stdout = System.out;
        var stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = ModprepCommand.run(env, args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private Path imported() {
        Path data = dir.resolve("data");
        var env = new TestEnvironment("11.16.1").module("Core").module("Web", "Core");
        assertEquals(0, modprep(Map.of(), "--data", data.toString(), "import", env.write(dir.resolve("env")).toString()).exitCode());
        return data;
    }

    private static List<String> audit(Path data) {
        return ModprepProcess.read(data, dsl -> dsl.select(AUDIT_EVENT.ACTION, AUDIT_EVENT.TARGET, AUDIT_EVENT.OUTCOME, AUDIT_EVENT.DETAIL)
                .from(AUDIT_EVENT).where(AUDIT_EVENT.ACTION.eq("setting-change")).orderBy(AUDIT_EVENT.ID)
                .fetch(r -> r.value1() + " " + r.value2() + " " + r.value3() + ": " + r.value4()));
    }

    @Test
    void config_shows_each_node_setting_with_its_source_masks_secrets_then_the_installation_settings() throws Exception {
        Path data = imported();
        Path file = dir.resolve("modprep.properties");
        Files.writeString(file, "port=9000\nlog-format=json\ntls-keystore-password=kept-secret\n");
        var shown = modprep(Map.of("MODPREP_ADMIN_PASSWORD", "very-secret", "MODPREP_LOG_FORMAT", "text"),
                "--data", data.toString(), "--config", file.toString(), "config", "--host", "127.0.0.1");
        assertEquals(0, shown.exitCode(), shown.err());
        String out = shown.out();
        assertTrue(out.matches("(?s).*\\n  port +9000 +" + java.util.regex.Pattern.quote(file.toAbsolutePath() + ":1") + "\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  host +127\\.0\\.0\\.1 +--host\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  log-format +text +MODPREP_LOG_FORMAT\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  admin-password +\\*\\*\\*\\* +MODPREP_ADMIN_PASSWORD\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  log-level +info +default\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  group-size +10 +database\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  lease-timeout +15s +default\\n.*"), out);
        assertFalse(out.contains("very-secret") || out.contains("kept-secret"), "no secret is printed: " + out);
    }

    @Test
    void config_on_a_data_folder_without_a_database_shows_the_defaults_and_creates_nothing() {
        Path data = dir.resolve("fresh");
        var shown = modprep(Map.of(), "--data", data.toString(), "config");
        assertEquals(0, shown.exitCode(), shown.err());
        assertTrue(shown.out().contains("Installation settings: no database in " + data.toAbsolutePath() + " yet; these defaults apply:"),
                shown.out());
        assertFalse(Files.exists(data), "config created nothing");
    }

    @Test
    void settings_set_changes_a_setting_with_an_audit_entry_and_is_refused_naming_the_run_while_one_is_in_progress() {
        Path data = imported();
        var set = modprep(Map.of(), "--data", data.toString(), "settings", "set", "group-size", "4");
        assertEquals(0, set.exitCode(), set.err());
        assertEquals("Changed group-size: 10 → 4.\n", set.out());
        assertEquals("4\n", modprep(Map.of(), "--data", data.toString(), "settings", "get", "group-size").out());
        long run;
        try (var app = Modprep.open(data)) {
            run = app.preparations().upgrade("11.17.0", "test").runId(); // in progress: no worker takes it here
        }
        var refused = modprep(Map.of(), "--data", data.toString(), "settings", "set", "group-size", "7");
        assertEquals(ExitCodes.REFUSED, refused.exitCode());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertTrue(refused.err().startsWith("setting group-size cannot be changed while preparation run #" + run
                + " (11.16.1 → 11.17.0) is in progress: "), refused.err());
        var list = modprep(Map.of(), "--data", data.toString(), "settings", "list");
        assertTrue(list.out().contains("[not now: preparation run #" + run + " (11.16.1 → 11.17.0) is in progress]"), list.out());
        var allowed = modprep(Map.of(), "--data", data.toString(), "settings", "set", "run-retention", "90d");
        assertEquals(0, allowed.exitCode(), "retention does not disturb a run: " + allowed.err());
        assertEquals("4\n", modprep(Map.of(), "--data", data.toString(), "settings", "get", "group-size").out(), "nothing was changed");
        var entries = audit(data);
        assertEquals(3, entries.size(), entries.toString());
        assertEquals("setting-change group-size succeeded: group-size: 10 → 4", entries.get(0));
        assertTrue(entries.get(1).startsWith("setting-change group-size refused: setting group-size cannot be changed while"), entries.get(1));
        assertEquals("setting-change run-retention succeeded: run-retention: off → 90d", entries.get(2));
    }

    @Test
    void an_unknown_or_bad_setting_ends_with_exit_code_2_and_one_line_and_is_audited_when_it_was_asked_to_be_stored() {
        Path data = imported();
        var unknown = modprep(Map.of(), "--data", data.toString(), "settings", "set", "colour", "blue");
        assertEquals(ExitCodes.BAD_INPUT, unknown.exitCode());
        assertTrue(unknown.err().startsWith("unknown setting 'colour' (from `modprep settings set`); known installation settings: "),
                unknown.err());
        var zero = modprep(Map.of(), "--data", data.toString(), "settings", "set", "group-size", "0");
        assertEquals(ExitCodes.BAD_INPUT, zero.exitCode());
        assertEquals("bad setting group-size (from `modprep settings set`): '0' is out of range; allowed: a whole number from 1 to 1000\n",
                zero.err());
        assertEquals(List.of("setting-change colour refused: " + unknown.err().strip(), "setting-change group-size refused: "
                + zero.err().strip()), audit(data));
        var env = modprep(Map.of("MODPREP_PROT", "8080"), "--data", data.toString(), "status");
        assertEquals(ExitCodes.BAD_INPUT, env.exitCode());
        assertTrue(env.err().startsWith("unknown setting in environment variable MODPREP_PROT; known: MODPREP_PORT,"), env.err());
        assertEquals(1, env.err().lines().count(), env.err());
        var port = modprep(Map.of(), "--data", data.toString(), "serve", "--port", "http");
        assertEquals(ExitCodes.BAD_INPUT, port.exitCode());
        assertEquals("bad setting port (from --port): 'http' is not a whole number; allowed: a whole number from 0 to 65535\n", port.err());
        var get = modprep(Map.of(), "--data", data.toString(), "settings", "get", "colour");
        assertEquals(ExitCodes.BAD_INPUT, get.exitCode());
    }
}
