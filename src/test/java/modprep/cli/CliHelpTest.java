package modprep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import modprep.testing.InProcessCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command, down to {@code user add}, answers {@code --help} with its own usage and the exit codes, as {@code help} does. */
class CliHelpTest {
    /** Each command's words after "modprep": ["upgrade"], ["user", "add"], … */
    private static List<List<String>> commands(CommandLine command, List<String> path) {
        var all = new ArrayList<List<String>>();
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return; // picocli's own, checked below
            }
            var words = new ArrayList<>(path);
            words.add(name);
            all.add(words);
            all.addAll(commands(sub, words));
        });
        return all;
    }

    @Test
    void every_command_answers_help_with_its_usage_and_exit_codes_and_exit_0() {
        var commands = commands(new CommandLine(new ModprepCommand(Map.of())), List.of());
        assertTrue(commands.size() > 30, "every command and its own: " + commands);
        for (var words : commands) {
            var args = new ArrayList<>(words);
            args.add("--help");
            var help = InProcessCli.modprep("", args.toArray(String[]::new));
            String usage = "Usage: modprep " + String.join(" ", words);
            assertEquals(0, help.exitCode(), words + ": " + help.err());
            assertTrue(help.out().startsWith(usage), words + ": " + help.out());
            assertTrue(help.out().contains("Exit codes:") && help.out().contains("5   could not be carried out"), words + ": " + help.out());
        }
        var named = InProcessCli.modprep("", "help", "upgrade");
        assertEquals(0, named.exitCode(), named.err());
        assertEquals(InProcessCli.modprep("", "upgrade", "--help").out(), named.out(), "`modprep help upgrade` says what `upgrade --help` does");
        assertTrue(InProcessCli.modprep("", "--help").out().lines().anyMatch(line -> line.strip().startsWith("help ")),
                "and is listed among the commands");
    }
}
