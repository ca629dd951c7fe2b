package modprep.deployment;

import java.nio.file.Path;
import java.time.Duration;
import modprep.Modprep;
import modprep.preparation.WorkerKind;
import modprep.readmodel.DeploymentQueries;
import modprep.readmodel.DeploymentView;
import modprep.readmodel.RunView;
import modprep.testing.TestEnvironment;

/** Test steps shared by the deployment tests: import, upgrade and prepare, deploy, each to its end with a real worker. */
final class Deploying {
    /** Bounds a hang, not the work: the worker ends these small runs in seconds. */
    static final Duration BOUND = Duration.ofSeconds(90);

    private Deploying() {
    }

    static Modprep imported(TestEnvironment env, Path folder) {
        var app = TestEnvironment.newModprep();
        app.importer().importFolder(env.write(folder), "test");
        return app;
    }

    static RunView upgradeAndPrepare(Modprep app, String to) {
        return prepareToEnd(app, app.preparations().upgrade(to, "alice").runId());
    }

    static RunView prepareToEnd(Modprep app, long runId) {
        try (var worker = app.worker(WorkerKind.SERVER).start()) {
            worker.wake();
            return TestEnvironment.awaitEnd(app, runId, BOUND);
        }
    }

    /** Deploys and works on the deployment to its end; null when there was nothing to deploy. */
    static DeploymentView deployToEnd(Modprep app) {
        var started = app.deployments().deploy("alice");
        return started.deploymentId() == null ? null : awaitDeployment(app, started.deploymentId());
    }

    static DeploymentView awaitDeployment(Modprep app, long id) {
        var queries = new DeploymentQueries(app.database().dsl());
        try (var worker = app.worker(WorkerKind.SERVER).start()) {
            worker.wake();
            TestEnvironment.awaitTrue("deployment #" + id + " ends", BOUND, () -> !queries.deployment(id, false).running());
        }
        return queries.deployment(id, true);
    }
}
