package modprep.cli;

import java.nio.file.Path;
import modprep.Modprep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "upload", description = "Uploads a new version of one module's code (a module folder); it stays uploaded until published.")
final class UploadCommand extends DataCommand {
    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Module folders (module.properties, src/).")
    java.util.List<Path> folders;

    @Override
    int run(Modprep app) {
        for (Path folder : folders) {
            var result = audited(app, "upload", folder.toString(), () -> app.uploader().upload(folder, ModprepCommand.actor()));
            out().printf("Uploaded %s: code version %d%s. Publish it to use it.%n", result.module(), result.codeVersion(),
                    result.newModule() ? " (new module)" : "");
        }
        return ExitCodes.OK;
    }
}
