package modprep.cli;

import static modprep.db.schema.Tables.AUDIT_EVENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import modprep.testing.DatabaseDump;
import modprep.testing.ModprepProcess;
import modprep.testing.InProcessCli;
import modprep.testing.InProcessCli.Result;
import modprep.testing.TestEnvironment;
import modprep.testing.TestEnvironment.ModuleDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, item 5 at the command line: each bad input ends with its exit code (2 bad input, 3 refused,
 * 4 not found) and a message naming what was wrong, and the data folder's database is as before but for
 * the audit, which records the refusal. The commands run in this JVM, on a data folder on disk.
 */
class CliBadInputTest {
    @TempDir
    Path dir;

    private static Result modprep(String stdin, String... args) {
        return InProcessCli.modprep(stdin, args);
    }

    private final TestEnvironment env = new TestEnvironment("11.16.1").module("Core").module("Web", "Core")
            .add(new ModuleDef("Lone", "Other", true, List.of(), false, Map.of("color", "blue")));

    private static Map<String, String> withoutAudit(Path data) {
        var dump = ModprepProcess.read(data, DatabaseDump::of);
        dump.remove("audit_event");
        return dump;
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void a_bad_environment_folder_is_refused_by_import_with_exit_2_naming_module_and_file_and_the_data_folder_stays_empty() {
        String data = dir.resolve("data").toString();
        Path folder = env.write(dir.resolve("env"));
        write(folder.resolve("modules/Web/module.properties"), "application=App\nstate=published\nreferences=Core,Web\n".getBytes(StandardCharsets.UTF_8));
        var refused = modprep("", "--data", data, "import", folder.toString());
        assertEquals(ExitCodes.BAD_INPUT, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("module Web: modules/Web/module.properties references itself"), refused.err());
        var status = modprep("", "--data", data, "status");
        assertEquals(ExitCodes.NOT_FOUND, status.exitCode(), "nothing was imported: " + status.err());
        assertEquals(List.of("import refused"), ModprepProcess.read(Path.of(data), dsl -> dsl.select(AUDIT_EVENT.ACTION, AUDIT_EVENT.OUTCOME)
                .from(AUDIT_EVENT).fetch(r -> r.value1() + " " + r.value2())), "the refusal is in the audit");
    }

    @Test
    void each_bad_command_ends_with_its_exit_code_and_a_message_naming_what_was_wrong_and_changes_nothing() {
        Path data = dir.resolve("data");
        assertEquals(0, modprep("", "--data", data.toString(), "import", env.write(dir.resolve("env")).toString()).exitCode());
        Path latin = env.writeChanged(dir.resolve("latin"), "Lone", 2);
        write(latin.resolve("src/m/lone/Latin.java"), "package m.lone; // caf\u00e9\nclass Latin {}\n".getBytes(StandardCharsets.ISO_8859_1));
        Path binary = env.writeChanged(dir.resolve("binary"), "Lone", 2);
        write(binary.resolve("src/m/lone/Blob.java"), new byte[] {'c', 'l', 0, 0, 9});
        Path sql = dir.resolve("sql").resolve("x'; DROP TABLE module;--");
        write(sql.resolve("module.properties"), "application=A\nstate=uploaded\nreferences=\n".getBytes(StandardCharsets.UTF_8));
        Path selfish = env.writeChanged(dir.resolve("selfish"), "Lone", 2);
        write(selfish.resolve("module.properties"), "application=Other\nstate=published\nreferences=Lone\n".getBytes(StandardCharsets.UTF_8));
        Path orphan = env.writeChanged(dir.resolve("orphan"), "Lone", 2);
        write(orphan.resolve("module.properties"), "application=Other\nstate=published\nreferences=Ghost\n".getBytes(StandardCharsets.UTF_8));
        Path big = env.writeChanged(dir.resolve("big"), "Lone", 2);
        write(big.resolve("config.properties"), ("color=" + "b".repeat(4001) + "\n").getBytes(StandardCharsets.UTF_8));

        String d = data.toString();
        var cases = new java.util.LinkedHashMap<List<String>, String>();
        cases.put(List.of("2", "upload", latin.toString()), "module Lone: Lone/src/m/lone/Latin.java is not UTF-8 text");
        cases.put(List.of("2", "upload", binary.toString()), "module Lone: Lone/src/m/lone/Blob.java is binary, not UTF-8 text");
        cases.put(List.of("2", "upload", sql.toString()), "'x'; DROP TABLE module;--' is not a valid module name");
        cases.put(List.of("2", "upload", selfish.toString()), "module Lone: Lone/module.properties references itself");
        cases.put(List.of("2", "upload", orphan.toString()), "references Ghost, which is not a module of this environment");
        cases.put(List.of("2", "upload", big.toString()), "has a value for 'color' longer than 4000 characters");
        cases.put(List.of("2", "upload", dir.resolve("nowhere/Lone").toString()), "module Lone: Lone is not a folder");
        cases.put(List.of("2", "upload", dir.resolve("..").toString()), "'..' is not a valid module name");
        cases.put(List.of("2", "upgrade", "--to", "99.0.0"), "unknown platform version '99.0.0'");
        cases.put(List.of("2", "upgrade", "--to", "<script>alert(1)</script>"), "unknown platform version '<script>alert(1)</script>'");
        cases.put(List.of("3", "upgrade", "--to", "11.9.0"), "upgrading from 11.16.1 to 11.9.0 is a downgrade, which is refused");
        cases.put(List.of("3", "import", dir.resolve("env").toString()), "this data folder already holds an environment");
        cases.put(List.of("4", "publish", "Ghost"), "no module named Ghost");
        cases.put(List.of("4", "publish", "Lone", "<script>alert(1)</script>"), "no module named <script>alert(1)</script>");
        cases.put(List.of("4", "module", "../evil"), "no module named ../evil");
        cases.put(List.of("2", "user", "add", "someone", "--role", "root"), "unknown role 'root': it is administrator or viewer");
        cases.put(List.of("2", "user", "add", "<b>x</b>", "--role", "viewer"), "a user name has 1 to 100 letters, digits");
        cases.put(List.of("4", "user", "passwd", "ghost"), "no user named ghost");
        cases.put(List.of("2", "demo", "--out", dir.resolve("demo").toString(), "--modules", "many"), "Invalid value for option '--modules'");
        cases.put(List.of("2", "upgrade"), "Missing required option: '--to=VERSION'");
        cases.put(List.of("2", "publish"), "Missing required argument");
        var before = withoutAudit(data);
        cases.forEach((command, expected) -> {
            var args = new java.util.ArrayList<>(List.of("--data", d));
            args.addAll(command.subList(1, command.size()));
            var result = modprep("a long enough password\n", args.toArray(String[]::new));
            assertEquals(Integer.parseInt(command.get(0)), result.exitCode(), command + ": " + result.err() + result.out());
            assertTrue(result.err().contains(expected), command + ": '" + expected + "' in: " + result.err());
            assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
        });
        var shortPassword = modprep("short\n", "--data", d, "user", "add", "someone", "--role", "viewer");
        assertEquals(ExitCodes.BAD_INPUT, shortPassword.exitCode(), shortPassword.err());
        assertTrue(shortPassword.err().contains("a password needs at least 12 characters"), shortPassword.err());
        assertEquals(before, withoutAudit(data), "nothing changed");
        long refusals = ModprepProcess.read(data, dsl -> (long) dsl.fetchCount(AUDIT_EVENT, AUDIT_EVENT.OUTCOME.eq("refused")));
        assertTrue(refusals >= 15, "the refused commands are in the audit: " + refusals);
    }
}
