package modprep.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BiConsumer;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.access.ApiTokens;
import modprep.access.Role;
import modprep.access.TokenScope;
import modprep.access.UserAccounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modprep user …}: users of the console and the API, and their API tokens. */
@Command(name = "user", description = "Manages the users of the console and the API, and their API tokens.",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.ListUsers.class, UserCommand.Disable.class,
                UserCommand.Enable.class, UserCommand.Remove.class, UserCommand.Token.class, UserCommand.Tokens.class,
                UserCommand.Revoke.class})
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

    @Command(name = "list", description = "Lists the users, their roles and whether they are enabled.")
    static final class ListUsers extends UserDataCommand {
        @Override
        int act(Modprep app) {
            for (var account : app.accounts().list()) {
                out().printf("%-30s %-14s %s%n", account.name(), account.role().id(),
                        account.disabled() ? "disabled since " + account.disabledAt() : "enabled");
            }
            return ExitCodes.OK;
        }
    }

    /** A change to one user's access, audited under {@code action}; {@code done} says it, with the user's name for %s. */
    abstract static class AccessChange extends UserDataCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        private final String action;
        private final BiConsumer<UserAccounts, String> change;
        private final String done;

        AccessChange(String action, BiConsumer<UserAccounts, String> change, String done) {
            this.action = action;
            this.change = change;
            this.done = done;
        }

        @Override
        final int act(Modprep app) {
            audited(app, action, name, () -> {
                change.accept(app.accounts(), name);
                return null;
            });
            out().println(done.formatted(name));
            return ExitCodes.OK;
        }
    }

    @Command(name = "disable", description = "Ends a user's access (sessions, open pages, API tokens) and keeps them, with their audit.")
    static final class Disable extends AccessChange {
        Disable() {
            super("user-disable", UserAccounts::disable, "Disabled %s: their sessions, open pages and API tokens stopped working.");
        }
    }

    @Command(name = "enable", description = "Lets a disabled user sign in again.")
    static final class Enable extends AccessChange {
        Enable() {
            super("user-enable", UserAccounts::enable, "Enabled %s.");
        }
    }

    @Command(name = "remove", description = "Removes a user and their API tokens; the audit keeps what they did.")
    static final class Remove extends AccessChange {
        Remove() {
            super("user-remove", UserAccounts::remove, "Removed %s and their API tokens.");
        }
    }

    @Command(name = "token", description = "Creates an API token for a user (printed once).")
    static final class Token extends UserDataCommand {
        @Parameters(paramLabel = "NAME", description = "The user the token acts as.")
        String name;

        @Option(names = "--name", required = true, paramLabel = "LABEL", description = "What the token is for.")
        String label;

        @Option(names = "--days", paramLabel = "DAYS", description = "How long it is valid: 1 to 730 days (default 90; "
                + "a year or two for a monitoring scraper).")
        long days = ApiTokens.DEFAULT_LIFETIME.toDays();

        @Option(names = "--metrics", description = "A token for a monitoring system: it reaches GET /metrics and nothing else.")
        boolean metrics;

        @Override
        int act(Modprep app) {
            var scope = metrics ? TokenScope.METRICS : TokenScope.API;
            String token = audited(app, "token-create", name + " / " + label + " (" + days + " days" + (metrics ? ", metrics" : "") + ")",
                    () -> app.tokens().create(name, label, ModprepCommand.actor(), Duration.ofDays(days), scope));
            out().println(token);
            return ExitCodes.OK;
        }
    }

    @Command(name = "tokens", description = "Lists the API tokens (never their values): user, name, expiry, state.")
    static final class Tokens extends UserDataCommand {
        @Override
        int act(Modprep app) {
            for (var token : app.tokens().list()) {
                out().printf("#%-5d %-20s %-30s expires %s  %s%n", token.id(), token.user(), token.name(), token.expiresAt(),
                        token.state().label() + (token.revokedBy() == null ? "" : " by " + token.revokedBy()));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke-token", description = "Revokes an API token by its number (see `modprep user tokens`).")
    static final class Revoke extends UserDataCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        int act(Modprep app) {
            String name = audited(app, "token-revoke", "#" + id, () -> app.tokens().revoke(id, ModprepCommand.actor()));
            out().printf("Revoked API token #%d (%s).%n", id, name);
            return ExitCodes.OK;
        }
    }
}
