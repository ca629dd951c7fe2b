package modprep.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import modprep.Modprep;
import modprep.housekeeping.Restore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "restore", description = "Puts a backup in place as the data folder's database. Refused while a server "
        + "or command has that database open, and when the folder holds a database already unless --force (which keeps "
        + "that one aside in replaced-TIME/).")
final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    ModprepCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "FILE", description = "The backup file (from `modprep backup`).")
    Path from;

    @Option(names = "--force", description = "Replace the folder's database (kept aside, not deleted).")
    boolean force;

    @Override
    public Integer call() {
        Path file = from.toAbsolutePath().normalize();
        // The data folder as every command resolves it (--data, MODPREP_DATA, the settings file, ./data).
        Path folder = root.node(java.util.Map.of()).data().toAbsolutePath().normalize();
        var restored = Restore.from(file, folder, force);
        // Opened as every command opens it (a backup of an earlier release is brought up to date), and audited there.
        try (var app = Modprep.open(folder)) {
            DataCommand.audited(app, "restore", file.toString(), () -> null);
        }
        var out = spec.commandLine().getOut();
        out.printf("Restored %s into %s: %s.%n", file, folder, restored.rows().entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", ")));
        if (restored.keptAside() != null) {
            out.printf("The database it replaced is kept in %s.%n", restored.keptAside());
        }
        return ExitCodes.OK;
    }
}
