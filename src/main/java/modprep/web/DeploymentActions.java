package modprep.web;

import io.javalin.http.Context;
import modprep.access.Audit;
import modprep.deployment.Deployments;
import modprep.deployment.Rollbacks;

/** Deploy and rollback as the console's pages and the API both start them: audited, the worker woken. */
final class DeploymentActions {
    private final Deployments deployments;
    private final Rollbacks rollbacks;
    private final Audit audit;
    private final Runnable wakeWorker;

    DeploymentActions(Deployments deployments, Rollbacks rollbacks, Audit audit, Runnable wakeWorker) {
        this.deployments = deployments;
        this.rollbacks = rollbacks;
        this.audit = audit;
        this.wakeWorker = wakeWorker;
    }

    /** What Deploy would deploy now, and every module it would skip with why (D3). Changes nothing. */
    Deployments.Preview preview() {
        return deployments.preview();
    }

    /** Starts a deployment of what is prepared (none when nothing waits) and wakes the worker for it. */
    Deployments.Started deploy(Context ctx) {
        var started = audit.record(Actors.actor(ctx), "deploy", null, () -> deployments.deploy(Actors.of(ctx)));
        wakeWorker.run();
        return started;
    }

    /** The deployment, or with {@code module} that module and its consumers only, back to what each ran before (D7). */
    Rollbacks.Result rollback(Context ctx, long id, String module) {
        return audit.record(Actors.actor(ctx), "rollback", "deployment #" + id + (module == null ? "" : " module " + module),
                () -> rollbacks.rollback(id, module, Actors.of(ctx)));
    }
}
