package modprep.cli;

import java.nio.file.Path;
import java.util.Map;
import modprep.settings.Given;
import modprep.settings.NodeSettings;
import modprep.settings.SettingKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code modprep}: the commands of the engine, for operators of self-managed installs. Its help and version
 * options and its list of exit codes are every command's too ({@code modprep upgrade --help}), and
 * {@code modprep help COMMAND} says the same.
 */
@Command(name = "modprep", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "modprep 1.0",
        description = "Prepares a platform's modules after a platform upgrade.",
        subcommands = {ImportCommand.class, UploadCommand.class, PublishCommand.class, UpgradeCommand.class,
                PrepareCommand.class, PrioritiseCommand.class, DeployCommand.class, RollbackCommand.class, StatusCommand.class, ModuleCommand.class,
                DemoCommand.class, ServeCommand.class, UserCommand.class, ExportMavenCommand.class, ConfigCommand.class,
                SettingsCommand.class, BackupCommand.class, RestoreCommand.class, HousekeepingCommand.class,
                MoveToCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:a run finished with errors, or a publish did not compile",
                "2:bad input", "3:refused by a rule (locked, not ready, run in progress, downgrade)", "4:not found",
                "5:could not be carried out (the data folder's disk is full, its database cannot be written, the heap is too small, an internal error)"})
public final class ModprepCommand {
    @Option(names = "--data", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "The data folder (default: ./data, or MODPREP_DATA, or data= in the --config file).")
    Path data;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "A modprep.properties file of node settings (default: DIR/modprep.properties when there is one).")
    Path config;

    @Option(names = "--database", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "A PostgreSQL database instead of the data folder's, e.g. postgresql://host:5432/modprep?user=modprep "
                    + "(or MODPREP_DATABASE_URL, database-url=). The password comes from MODPREP_DATABASE_PASSWORD or the file "
                    + "MODPREP_DATABASE_PASSWORD_FILE names, never from the command line.")
    String database;

    @Option(names = "--log-format", scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "Log lines as text (default) or json, one event per line (or MODPREP_LOG_FORMAT, log-format=).")
    String logFormat;

    @Option(names = "--log-level", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "error, warn, info, debug or trace (default: info for serve, warn for other commands).")
    String logLevel;

    /** The process's environment variables (a test gives its own). */
    private final Map<String, String> env;
    /** The node settings, once resolved. */
    private NodeSettings node;

    ModprepCommand(Map<String, String> env) {
        this.env = env;
    }

    /**
     * This process's node settings: the given command's flags, then MODPREP_* variables, then the settings
     * file, then defaults. A bad one is refused with one line (SettingException, exit code 2).
     */
    NodeSettings node(Map<String, Given> flags) {
        if (node == null) {
            var all = new java.util.HashMap<>(flags);
            if (data != null) {
                all.put(SettingKeys.DATA.name(), Given.flag("--data", data));
            }
            if (database != null) {
                all.put(SettingKeys.DATABASE_URL.name(), Given.flag("--database", database));
            }
            if (logFormat != null) {
                all.put(SettingKeys.LOG_FORMAT.name(), Given.flag("--log-format", logFormat));
            }
            if (logLevel != null) {
                all.put(SettingKeys.LOG_LEVEL.name(), Given.flag("--log-level", logLevel));
            }
            node = NodeSettings.resolve(all, env, config);
        }
        return node;
    }

    /** Who the CLI acts as, in audit and refusal messages. */
    static String actor() {
        return System.getProperty("user.name", "cli");
    }

    public static int run(String... args) {
        return run(System.getenv(), args);
    }

    /** The same, with these environment variables instead of the process's. */
    public static int run(Map<String, String> env, String... args) {
        var commandLine = new CommandLine(new ModprepCommand(env));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            modprep.db.OutOfMemory.endIfIn(e);
            if (e instanceof modprep.ModprepException refused) {
                cmd.getErr().println(refused.getMessage());
                return ExitCodes.of(refused);
            }
            if (e instanceof modprep.db.DatabaseUnavailable unavailable) {
                cmd.getErr().println("modprep: " + unavailable.getMessage());
                return unavailable.badInput() ? ExitCodes.BAD_INPUT : ExitCodes.ERROR;
            }
            if (e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().contains("data folder")) {
                cmd.getErr().println("modprep: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            // Anything else (a full disk, a database that cannot be written, a bug): one clear line, not a stack trace.
            var root = (ModprepCommand) cmd.getCommandSpec().root().userObject();
            // The data folder, to name in a message about a full disk or an unwritable database (not with a server).
            Path data = root.node != null ? (root.node.databaseUrl().isPresent() ? null : root.node.data())
                    : root.data != null ? root.data : Path.of("data");
            cmd.getErr().println("modprep: " + explain(e, data));
            if (root.node != null ? root.node.debug() : env.get("MODPREP_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return ExitCodes.ERROR;
        });
        return commandLine.execute(args);
    }

    /** What went wrong, for the person at the terminal: the deepest cause, and what to do about a full disk. */
    static String explain(Throwable e, Path data) {
        // Causes, and what a batch of SQL statements chains as "next" exceptions or suppressed ones.
        var all = new java.util.ArrayList<Throwable>();
        var queue = new java.util.ArrayDeque<Throwable>(java.util.List.of(e));
        while (!queue.isEmpty()) {
            Throwable t = queue.poll();
            if (all.contains(t)) {
                continue;
            }
            all.add(t);
            if (t.getCause() != null) {
                queue.add(t.getCause());
            }
            if (t instanceof java.sql.SQLException sql && sql.getNextException() != null) {
                queue.add(sql.getNextException());
            }
            java.util.Collections.addAll(queue, t.getSuppressed());
        }
        Throwable deepest = e;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        var diskFull = all.stream().filter(t -> {
            String message = String.valueOf(t.getMessage());
            return message.contains("No space left on device") || message.contains("File too large") || message.contains("Disk quota exceeded");
        }).reduce((first, second) -> second).orElse(null);
        boolean full = diskFull != null;
        Throwable shown = full ? diskFull : deepest;
        // One line: a database error's message goes on with the SQL it was running.
        String cause = shown.getMessage() == null ? shown.getClass().getSimpleName()
                : shown.getMessage().strip().lines().findFirst().orElse("").replaceAll("; SQL statement:$", "");
        String folder = data == null ? "" : data.toAbsolutePath().normalize().toString();
        if (full) {
            return "could not write to the data folder " + folder + ": " + cause + " (the disk is full, or a file size limit was "
                    + "reached). Free some space and run the command again; what was not committed is not stored.";
        }
        if (deepest instanceof java.io.IOException || deepest instanceof java.sql.SQLException
                || deepest.getClass().getName().startsWith("org.h2.")) {
            return "could not read or write the database" + (data == null ? "" : " in the data folder " + folder) + ": " + cause;
        }
        return "the command failed: " + deepest.getClass().getSimpleName() + ": " + cause + " (set MODPREP_DEBUG=1 to see where)";
    }
}
