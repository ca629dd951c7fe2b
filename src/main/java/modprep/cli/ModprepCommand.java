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
                PrepareCommand.class, StatusCommand.class, ModuleCommand.class, DemoCommand.class, ServeCommand.class,
                UserCommand.class, ExportMavenCommand.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:a run finished with errors, or a publish did not compile",
                "2:bad input", "3:refused by a rule (locked, not ready, run in progress, downgrade)", "4:not found"})
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
            throw e;
        });
        return commandLine.execute(args);
    }
}
