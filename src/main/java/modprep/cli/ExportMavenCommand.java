package modprep.cli;

import java.nio.file.Path;
import modprep.Modprep;
import modprep.tools.MavenExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export-maven", description = "Writes the environment (the published code of every published module, "
        + "for the current platform version) as a Maven multi-module project that compiles what modprep compiles.")
final class ExportMavenCommand extends DataCommand {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty folder.")
    Path out;

    @Override
    int run(Modprep app) {
        var summary = new MavenExport(app.compilations(), app.catalog()).export(out);
        out().printf("Exported %d published modules of platform %s as %d Maven modules, plus %s (the system components), to %s%s.%n",
                summary.modules(), summary.version(), summary.mavenModules().size(), summary.systemArtifactId(), out,
                summary.excluded() > 0 ? " (" + summary.excluded() + " left out: only uploaded)" : "");
        if (summary.mergedCycles().isEmpty()) {
            out().println("No reference cycle: one Maven module per module.");
        } else {
            out().printf("Maven cannot build reference cycles: %d cycles merged into one Maven module each:%n", summary.mergedCycles().size());
            summary.mergedCycles().forEach(m -> out().printf("    %s: %s%n", m.artifactId(), String.join(", ", m.modules())));
        }
        if (!summary.notCurrent().isEmpty()) {
            out().printf("Warning: %d modules are not prepared for %s (not reached yet, failed or blocked); Maven compiles them "
                    + "all the same and may fail on them: %s%n", summary.notCurrent().size(), summary.version(),
                    String.join(", ", summary.notCurrent().stream().limit(20).toList())
                            + (summary.notCurrent().size() > 20 ? ", …" : ""));
        }
        out().printf("Build it with `mvn -q compile` in %s once (online: it fills the local repository), then `mvn -o -q -T 2 compile`.%n", out);
        return ExitCodes.OK;
    }
}
