package modprep.cli;

import java.nio.file.Path;
import modprep.Modprep;
import modprep.housekeeping.Backup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "backup", description = "Writes a consistent copy of the database to a file (a zip), while a server "
        + "and other commands go on working; `modprep restore --from FILE` puts it back.")
final class BackupCommand extends DataCommand {
    @Option(names = "--to", required = true, paramLabel = "FILE", description = "The backup file to write.")
    Path to;

    @Option(names = "--force", description = "Replace the file if it exists.")
    boolean force;

    @Override
    int run(Modprep app) {
        Path file = to.toAbsolutePath().normalize();
        long bytes = audited(app, "backup", file.toString(), () -> Backup.to(app.database(), node().data(), file, force));
        out().printf("Backed up the database of %s to %s (%d KiB).%n", node().data().toAbsolutePath().normalize(), file, bytes / 1024);
        return ExitCodes.OK;
    }
}
