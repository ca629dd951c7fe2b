package modprep.cli;

import modprep.preparation.WorkerKind;
import modprep.Modprep;
import modprep.readmodel.RunView;
import picocli.CommandLine.Option;

/**
 * A command that starts a run and then works on it until it ends, unless a server on the same data
 * folder already does; with {@code --follow}, it shows the progress group by group (U9).
 */
abstract class RunCommand extends DataCommand {
    @Option(names = "--follow", description = "Show the run's progress group by group until it ends.")
    boolean follow;

    /** Works on (or follows) the run; exit 0 when it succeeded, 1 when it finished with errors. */
    int workOn(Modprep app, long runId) throws InterruptedException {
        try (var worker = app.worker(WorkerKind.CLI, node().nodeName())) {
            boolean server = worker.leases().liveServerExists();
            if (server && !follow) {
                out().printf("A modprep server on this data folder prepares run #%d. Follow it with `modprep prepare --follow` "
                        + "or `modprep status`.%n", runId);
                return ExitCodes.OK;
            }
            if (server) {
                worker.deferToServerFor(3_000); // the server will most likely claim it; stand by in case it stops
            }
            worker.start();
            worker.wake();
            RunView run = new RunFollower(app.database(), out()).follow(runId, follow);
            return run.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
