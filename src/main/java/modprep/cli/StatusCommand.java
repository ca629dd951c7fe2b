package modprep.cli;

import modprep.Json;
import modprep.Modprep;
import modprep.environment.EnvironmentRepository;
import modprep.readmodel.RunQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Shows the latest preparation run.")
final class StatusCommand extends DataCommand {
    @Option(names = "--json", description = "The run as JSON, as GET /api/status serves it.")
    boolean json;

    @Override
    int run(Modprep app) {
        var settings = new EnvironmentRepository(app.database().dsl()).settings();
        var run = new RunQueries(app.database().dsl()).latest(json);
        if (json) {
            out().println(run == null ? "null" : Json.pretty(run));
            return ExitCodes.OK;
        }
        out().printf("Platform %s.%n", settings.version());
        if (run == null) {
            out().println("No preparation run yet.");
            return ExitCodes.OK;
        }
        var c = run.counts();
        out().printf("Preparation run #%d: %s → %s, %s, %s%s.%n", run.id(), run.fromVersion(), run.toVersion(), run.mode().code(),
                run.statusLabel(),
                run.currentGroup() == null ? "" : " (group " + run.currentGroup() + " of " + run.groupCount() + ")");
        out().printf("%d of %d prepared, %d failed, %d blocked, %d pending.%n", c.prepared(), c.total(), c.failed(), c.blocked(), c.pending());
        if (run.internalError() != null) {
            out().println("Internal error: " + run.internalError());
        }
        return ExitCodes.OK;
    }
}
