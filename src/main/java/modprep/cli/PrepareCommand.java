package modprep.cli;

import modprep.Modprep;
import modprep.preparation.RunRepository;
import picocli.CommandLine.Command;

@Command(name = "prepare", description = "Prepare: re-runs the preparation of what is not prepared yet (P11); "
        + "with a run in progress, works on it (or follows it) instead.")
final class PrepareCommand extends RunCommand {
    @Override
    int run(Modprep app) throws InterruptedException {
        Long running = new RunRepository(app.database().dsl()).runningRunId();
        if (running != null) {
            out().printf("Preparation run #%d is in progress; %s it.%n", running, follow ? "following" : "working on");
            return workOn(app, running);
        }
        var started = audited(app, "prepare", null, () -> app.preparations().prepare(ModprepCommand.actor()));
        if (started.runId() == null) {
            out().printf("Nothing to prepare: every published module is prepared for %s.%n", started.to());
            return ExitCodes.OK;
        }
        out().printf("Preparation run #%d: %s, %d modules in %d groups.%n", started.runId(), started.mode().code(),
                started.modules(), started.groups());
        return workOn(app, started.runId());
    }
}
