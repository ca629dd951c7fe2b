package modprep.cli;

import java.util.List;
import modprep.Modprep;
import modprep.environment.Publisher;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "publish", description = "Compiles modules' latest code with the current platform version and deploys it.")
final class PublishCommand extends DataCommand {
    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(paramLabel = "NAME", arity = "1..*", description = "Modules to publish (producers first).")
        List<String> names;

        @Option(names = "--all", required = true, description = "Publish every module.")
        boolean all;
    }

    @Override
    int run(Modprep app) {
        var reports = new java.util.ArrayList<Publisher.Report>(1);
        audited(app, target.all ? "publish-all" : "publish", target.all ? null : String.join(" ", target.names), () -> {
            var r = target.all ? app.publisher().publishAll(ModprepCommand.actor())
                    : app.publisher().publish(target.names, ModprepCommand.actor());
            reports.add(r);
            return r.allPublished() ? modprep.access.Audit.Outcome.succeeded(null)
                    : modprep.access.Audit.Outcome.failed("not all published");
        });
        var report = reports.get(0);
        for (var result : report.results()) {
            switch (result.status()) {
                case PUBLISHED -> out().printf("published      %s (with %s)%n", result.module(), report.version());
                case FAILED -> {
                    out().printf("FAILED         %s: %s%n", result.module(), result.detail());
                    result.errors().forEach(e -> out().println("    " + e.render().replace("\n", "\n    ")));
                }
                case NOT_PUBLISHED -> out().printf("not published  %s: %s%n", result.module(), result.detail());
            }
        }
        long published = report.results().stream().filter(r -> r.status() == Publisher.Status.PUBLISHED).count();
        out().printf("%d of %d published.%n", published, report.results().size());
        return report.allPublished() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
