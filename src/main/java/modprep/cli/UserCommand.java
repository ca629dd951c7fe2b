package modprep.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.access.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modprep user add|passwd|token}: users of the console and the API. */
@Command(name = "user", description = "Manages the users of the console and the API.",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.Token.class})
final class UserCommand {
    /** A password from the terminal (asked twice), or the first line of the standard input when piped. */
    static String readPassword(String prompt) {
        var console = System.console();
        if (console != null) {
            char[] first = console.readPassword("%s: ", prompt);
            char[] again = console.readPassword("Again: ");
            if (first == null || again == null || !new String(first).equals(new String(again))) {
                throw ModprepException.badInput("the two passwords differ");
            }
            return new String(first);
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw ModprepException.badInput("no password on the standard input");
            }
            return line;
        } catch (IOException e) {
            throw ModprepException.badInput("cannot read the password: " + e.getMessage());
        }
    }

    abstract static class UserDataCommand extends DataCommand {
        @Override
        final int run(Modprep app) {
            return act(app);
        }

        abstract int act(Modprep app);
    }

    @Command(name = "add", description = "Adds a user; the password is read from the terminal or the standard input.")
    static final class Add extends UserDataCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--role", required = true, description = "administrator or viewer")
        String role;

        @Override
        int act(Modprep app) {
            var chosen = Role.of(role);
            String password = readPassword("Password for " + name);
            audited(app, "user-add", name + " (" + chosen.id() + ")", () -> app.accounts().add(name, chosen, password));
            out().printf("Added %s, %s.%n", name, chosen.id());
            return ExitCodes.OK;
        }
    }

    @Command(name = "passwd", description = "Changes a user's password (read from the terminal or the standard input).")
    static final class Passwd extends UserDataCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int act(Modprep app) {
            String password = readPassword("New password for " + name);
            audited(app, "user-passwd", name, () -> {
                app.accounts().changePassword(name, password);
                return null;
            });
            out().printf("Changed the password of %s.%n", name);
            return ExitCodes.OK;
        }
    }

    @Command(name = "token", description = "Creates an API token for a user (printed once).")
    static final class Token extends UserDataCommand {
        @Parameters(paramLabel = "NAME", description = "The user the token acts as.")
        String name;

        @Option(names = "--name", required = true, paramLabel = "LABEL", description = "What the token is for.")
        String label;

        @Option(names = "--metrics", description = "A token for a monitoring system: it reaches GET /metrics and nothing else.")
        boolean metrics;

        @Override
        int act(Modprep app) {
            var scope = metrics ? modprep.access.TokenScope.METRICS : modprep.access.TokenScope.API;
            String token = audited(app, "token-create", name + " / " + label + (metrics ? " (metrics)" : ""),
                    () -> app.accounts().createToken(name, label, ModprepCommand.actor(), scope));
            out().println(token);
            return ExitCodes.OK;
        }
    }
}
