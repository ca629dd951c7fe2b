package modprep.cli;

import modprep.Modprep;
import modprep.deployment.Deployments;
import modprep.preparation.WorkerKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "deploy", description = "Deploy: every prepared module starts running its compilation for the current version, "
        + "in groups, producers first (D1-D6); the others are listed with why they are skipped. With a deployment in progress, "
        + "works on it (or follows it) instead.")
final class DeployCommand extends DataCommand {
    @Option(names = "--follow", description = "Show the deployment's progress group by group until it ends.")
    boolean follow;

    @Option(names = "--preview", description = "Only show what would be deployed and what skipped, and why; change nothing.")
    boolean preview;

    @Override
    int run(Modprep app) throws InterruptedException {
        var deployments = app.deployments();
        if (preview) {
            print(deployments.preview(), "Would deploy");
            return ExitCodes.OK;
        }
        Long running = deployments.inProgress();
        if (running != null) {
            out().printf("Deployment #%d is in progress; %s it.%n", running, follow ? "following" : "working on");
            return workOn(app, running);
        }
        var started = audited(app, "deploy", null, () -> deployments.deploy(ModprepCommand.actor()));
        if (started.deploymentId() == null) {
            print(started.plan(), "Nothing to deploy");
            return ExitCodes.OK;
        }
        out().printf("Deployment #%d: ", started.deploymentId());
        print(started.plan(), "deploys");
        return workOn(app, started.deploymentId());
    }

    private void print(Deployments.Preview plan, String verb) {
        out().printf("%s %d modules in %d groups for %s; %d skipped; %d already run their compilation for %s.%n", verb, plan.modules(),
                plan.groups().size(), plan.version(), plan.skipped().size(), plan.alreadyRunning(), plan.version());
        if (plan.inProgress() != null) {
            out().println("Deploy would be refused now: " + plan.inProgress());
        }
        plan.skipped().forEach((module, why) -> out().printf("    skipped  %s: %s%n", module, why));
        out().flush();
    }

    /** Works on (or follows) the deployment; exit 0 when it succeeded, 1 when it finished with errors. */
    private int workOn(Modprep app, long id) throws InterruptedException {
        try (var worker = app.worker(WorkerKind.CLI, node().nodeName())) {
            boolean server = worker.leases().liveServerExists();
            if (server && !follow) {
                out().printf("A modprep server on this data folder works on deployment #%d. Follow it with `modprep deploy --follow`.%n", id);
                return ExitCodes.OK;
            }
            if (server) {
                worker.deferToServerFor(3_000);
            }
            worker.start();
            worker.wake();
            var deployment = new DeploymentFollower(app.database(), out()).follow(id, follow);
            return deployment.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
