package modprep.cli;

import java.nio.file.Path;
import modprep.Modprep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = "Imports an environment folder, all or nothing (compiles every published module).")
final class ImportCommand extends DataCommand {
    @Parameters(paramLabel = "DIR", description = "The environment folder (environment.properties, modules/).")
    Path folder;

    @Override
    int run(Modprep app) {
        var summary = audited(app, "import", folder.toString(), () -> app.importer().importFolder(folder, ModprepCommand.actor()));
        out().printf("Imported %d modules (%d published) in %d applications on platform %s; compiled in %.1f s.%n",
                summary.modules(), summary.published(), summary.applications(), summary.version(), summary.compileMillis() / 1000.0);
        return ExitCodes.OK;
    }
}
