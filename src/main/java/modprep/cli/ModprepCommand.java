package modprep.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code modprep}: the commands of the engine, for operators of self-managed installs. */
@Command(name = "modprep", mixinStandardHelpOptions = true, version = "modprep 1.0",
        description = "Prepares a platform's modules after a platform upgrade.",
        subcommands = {ImportCommand.class, UploadCommand.class, PublishCommand.class, UpgradeCommand.class,
                PrepareCommand.class, PrioritiseCommand.class, StatusCommand.class, ModuleCommand.class, DemoCommand.class, ServeCommand.class,
                UserCommand.class, ExportMavenCommand.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:a run finished with errors, or a publish did not compile",
                "2:bad input", "3:refused by a rule (locked, not ready, run in progress, downgrade)", "4:not found",
                "5:could not be carried out (the data folder's disk is full, its database cannot be written, an internal error)"})
public final class ModprepCommand {
    @Option(names = "--data", scope = ScopeType.INHERIT, paramLabel = "DIR", defaultValue = "data",
            description = "The data folder (default: ./data).")
    Path data;

    /** Who the CLI acts as, in audit and refusal messages. */
    static String actor() {
        return System.getProperty("user.name", "cli");
    }

    public static int run(String... args) {
        var commandLine = new CommandLine(new ModprepCommand());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof modprep.ModprepException refused) {
                cmd.getErr().println(refused.getMessage());
                return ExitCodes.of(refused);
            }
            if (e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().contains("data folder")) {
                cmd.getErr().println("modprep: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            // Anything else (a full disk, a database that cannot be written, a bug): one clear line, not a stack trace.
            Path data = ((ModprepCommand) cmd.getCommandSpec().root().userObject()).data;
            cmd.getErr().println("modprep: " + explain(e, data));
            if (System.getenv("MODPREP_DEBUG") != null) {
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
            return "could not read or write the database in the data folder " + folder + ": " + cause;
        }
        return "the command failed: " + deepest.getClass().getSimpleName() + ": " + cause + " (set MODPREP_DEBUG=1 to see where)";
    }
}
