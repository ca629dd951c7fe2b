package modprep.web;

import io.javalin.http.Context;
import modprep.Json;
import modprep.ModprepException;
import modprep.access.Audit;
import modprep.deployment.Deployments;
import modprep.deployment.Rollbacks;
import modprep.readmodel.DeploymentQueries;

/** The JSON API of the deployment step (D1-D8): preview, deploy, the deployments, rollback; every action audited. */
final class DeploymentApi {
    private final Deployments deployments;
    private final Rollbacks rollbacks;
    private final DeploymentQueries queries;
    private final Audit audit;
    private final Runnable wakeWorker;

    DeploymentApi(Deployments deployments, Rollbacks rollbacks, DeploymentQueries queries, Audit audit, Runnable wakeWorker) {
        this.deployments = deployments;
        this.rollbacks = rollbacks;
        this.queries = queries;
        this.audit = audit;
        this.wakeWorker = wakeWorker;
    }

    /** What Deploy would deploy now, and every module it would skip with why (D3). Changes nothing. */
    void preview(Context ctx) {
        ctx.json(deployments.preview());
    }

    /** POST /api/deploy: 202 with the deployment started, or 200 when there is nothing to deploy. */
    void deploy(Context ctx) {
        var started = audit.record(Actors.actor(ctx), "deploy", null, () -> deployments.deploy(Actors.of(ctx)));
        wakeWorker.run();
        ctx.status(started.deploymentId() == null ? 200 : 202).json(started);
    }

    void all(Context ctx) {
        ctx.json(queries.all());
    }

    void one(Context ctx) {
        ctx.json(queries.deployment(ctx.pathParamAsClass("id", Long.class).get(), true));
    }

    /** POST /api/deployments/{id}/rollback, with an optional body {"module": "Name"}: that module and its consumers only. */
    void rollback(Context ctx) {
        long id = ctx.pathParamAsClass("id", Long.class).get();
        String module = null;
        String body = ctx.body();
        if (!body.isBlank()) {
            try {
                var node = Json.MAPPER.readTree(body);
                var field = node == null ? null : node.get("module");
                if (node == null || !node.isObject() || (field != null && !field.isTextual())) {
                    throw ModprepException.badInput("the body must be empty, or {\"module\": \"Name\"}");
                }
                module = field == null ? null : field.asText();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw ModprepException.badInput("the body is not valid JSON: " + e.getOriginalMessage());
            }
        }
        String only = module;
        var result = audit.record(Actors.actor(ctx), "rollback", "deployment #" + id + (only == null ? "" : " module " + only),
                () -> rollbacks.rollback(id, only, Actors.of(ctx)));
        ctx.json(result);
    }
}
