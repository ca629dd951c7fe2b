package modprep.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import modprep.tools.DemoEnvironment;
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

    @Option(names = "--no-failures", description = "No module calls Users.findByName (same modules and references "
            + "otherwise): every published module prepares for 11.17.0, as benchmarks need.")
    boolean noFailures;

    @Option(names = "--classes-per-module", defaultValue = "3", paramLabel = "K",
            description = "Java classes in each module, at least 3 (default 3; real factories' modules hold dozens to hundreds).")
    int classesPerModule;

    @Option(names = "--realistic-sizes", description = "Modules of uneven, realistic sizes (most small, a few large), instead of "
            + "--classes-per-module for each.")
    boolean realisticSizes;

    /** Its --version is the platform's, so the inherited -h/-V pair is not mixed in here: --help alone. */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        new modprep.platform.PlatformCatalog().require(version);
        var summary = new DemoEnvironment(seed).classesPerModule(classesPerModule).write(out, modules, version, noFailures, realisticSizes);
        String failing = summary.callingFindByName().isEmpty() ? "none calls Users.findByName"
                : summary.callingFindByName().size() + " call Users.findByName (fixed code in " + out.resolve("fixes") + "): "
                + String.join(", ", summary.callingFindByName());
        spec.commandLine().getOut().printf("Wrote %d modules (%d published, %d only uploaded) in %d applications to %s; %s.%n",
                summary.modules(), summary.published(), summary.uploaded(), summary.applications(), out, failing);
        return ExitCodes.OK;
    }
}
