package modprep.cli;

import java.io.PrintWriter;
import java.time.Duration;
import modprep.db.Database;
import modprep.readmodel.DeploymentQueries;
import modprep.readmodel.DeploymentView;
import modprep.status.DeployStatus;
import modprep.status.GroupStatus;

/** D8: a deployment's progress in the terminal, group by group, read from the database, until it ends. */
final class DeploymentFollower {
    private static final long POLL_MILLIS = 200;

    private final Database database;
    private final PrintWriter out;

    DeploymentFollower(Database database, PrintWriter out) {
        this.database = database;
        this.out = out;
    }

    DeploymentView follow(long id, boolean verbose) throws InterruptedException {
        var queries = new DeploymentQueries(database.dsl());
        int printed = 0;
        DeploymentView deployment;
        while (true) {
            deployment = queries.deployment(id, verbose);
            if (verbose) {
                for (var group : deployment.groups()) {
                    if (group.seq() > printed && group.status() == GroupStatus.DONE) {
                        printGroup(deployment, group);
                        printed = group.seq();
                    }
                }
            }
            out.flush();
            if (!deployment.running()) {
                break;
            }
            Thread.sleep(POLL_MILLIS);
        }
        printOutcome(deployment);
        return deployment;
    }

    private void printGroup(DeploymentView d, DeploymentView.GroupView group) {
        long deployed = group.modules().stream().filter(m -> m.status() == DeployStatus.DEPLOYED).count();
        String took = group.startedAt() == null || group.finishedAt() == null ? ""
                : String.format("%.1f s", Duration.between(group.startedAt(), group.finishedAt()).toMillis() / 1000.0);
        out.printf("group %3d/%d  %2d modules: %d deployed %7s%n", group.seq(), d.groupCount(), group.modules().size(), deployed, took);
        for (var m : group.modules()) {
            if (m.status().notDeployed()) {
                out.printf("    %-8s %s: %s%n", m.status().code(), m.name(), m.reason());
            }
        }
    }

    private void printOutcome(DeploymentView d) {
        var c = d.counts();
        if (d.internalError() != null) {
            out.printf("Deployment #%d could not go on: internal error: %s%nRun `modprep deploy` to try again.%n", d.id(), d.internalError());
        } else if (d.succeeded()) {
            out.printf("Deployment #%d succeeded: %d deployed for %s, %d skipped.%n", d.id(), c.deployed(), d.version(), c.skipped());
        } else {
            out.printf("Deployment #%d finished with errors: %d deployed, %d failed, %d blocked by them, %d skipped.%n"
                    + "The failed modules keep running what they ran. Run `modprep prepare`, then `modprep deploy` again.%n",
                    d.id(), c.deployed(), c.failed(), c.blocked(), c.skipped());
        }
        out.flush();
    }
}
