package modprep.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import modprep.environment.DemoEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", description = "Writes a realistic demo environment folder, ready for `modprep import`.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--modules", required = true, paramLabel = "N")
    int modules;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S")
    long seed;

    @Option(names = "--version", defaultValue = "11.16.1", paramLabel = "V", description = "Its platform version (default 11.16.1).")
    String version;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        new modprep.platform.PlatformCatalog().require(version);
        var summary = new DemoEnvironment(seed).write(out, modules, version);
        spec.commandLine().getOut().printf("Wrote %d modules (%d published, %d only uploaded) in %d applications to %s; "
                        + "%d call Users.findByName (fixed code in %s): %s.%n",
                summary.modules(), summary.published(), summary.uploaded(), summary.applications(), out,
                summary.callingFindByName().size(), out.resolve("fixes"), String.join(", ", summary.callingFindByName()));
        return ExitCodes.OK;
    }
}
