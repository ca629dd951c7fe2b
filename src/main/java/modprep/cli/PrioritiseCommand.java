package modprep.cli;

import modprep.Modprep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "prioritise", description = "Moves a module (or an application's modules) and the producers it waits on to the "
        + "front of the run in progress (I4): prepared next, after the group in progress.")
final class PrioritiseCommand extends DataCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODULE")
    String module;

    @Option(names = "--application", paramLabel = "A", description = "Prioritise every module of this application.")
    String application;

    @Override
    int run(Modprep app) {
        var moved = audited(app, "prioritise", module != null ? module : "application " + application,
                () -> app.preparations().prioritise(module, application, ModprepCommand.actor()));
        out().printf("Prioritised %s in preparation run #%d: %d module%s (with the producers it waits on) now in %s of %d.%n",
                moved.target(), moved.runId(), moved.modules().size(), moved.modules().size() == 1 ? "" : "s",
                moved.firstGroup() == moved.lastGroup() ? "group " + moved.firstGroup() : "groups " + moved.firstGroup() + " to " + moved.lastGroup(),
                moved.groupCount());
        return ExitCodes.OK;
    }
}
