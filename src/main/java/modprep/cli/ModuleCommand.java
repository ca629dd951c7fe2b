package modprep.cli;

import modprep.Json;
import modprep.Modprep;
import modprep.readmodel.ModuleReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "module", description = "Shows one module: its state, what it runs, its status for the current version, producers, consumers.")
final class ModuleCommand extends DataCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--json", description = "As JSON, as GET /api/modules/{name} serves it.")
    boolean json;

    @Override
    int run(Modprep app) {
        var report = new ModuleReports(app.database().dsl()).report(name);
        if (json) {
            out().println(Json.pretty(report));
            return ExitCodes.OK;
        }
        out().printf("%s (application %s), %s, code version %d%s%n", report.name(), report.application(), report.state().code(),
                report.latestCodeVersion(), report.publishedCodeVersion() == null ? "" : ", published version " + report.publishedCodeVersion());
        if (report.runs() != null) {
            out().printf("Runs: its compilation for %s, published %s by %s%n", report.runs().version(), report.runs().publishedAt(),
                    report.runs().publishedBy());
        }
        out().printf("Status for %s: %s%n", report.statusForCurrentVersion().version(), report.statusForCurrentVersion().text());
        if (report.statusForCurrentVersion().diagnostics() != null) {
            out().println(report.statusForCurrentVersion().diagnostics().indent(4).stripTrailing());
        }
        if (report.lock() != null) {
            out().printf("Locked by preparation run #%d%s.%n", report.lock().runId(),
                    report.lock().group() == null ? " (sequential: until the run ends)" : ", group " + report.lock().group());
        }
        out().println("Producers:" + (report.producers().isEmpty() ? " none" : ""));
        report.producers().forEach(p -> out().printf("    %-40s %s%n", p.name(), p.statusCode()));
        out().println("Consumers:" + (report.consumers().isEmpty() ? " none" : ""));
        report.consumers().forEach(c -> out().printf("    %-40s %s%n", c.name(), c.statusCode()));
        return ExitCodes.OK;
    }
}
