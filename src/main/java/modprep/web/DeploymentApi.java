package modprep.web;

import io.javalin.http.Context;
import modprep.Json;
import modprep.ModprepException;
import modprep.readmodel.DeploymentQueries;

/** The JSON API of the deployment step (D1-D8): preview, deploy, the deployments, rollback; every action audited. */
final class DeploymentApi {
    private final DeploymentActions actions;
    private final DeploymentQueries queries;

    DeploymentApi(DeploymentActions actions, DeploymentQueries queries) {
        this.actions = actions;
        this.queries = queries;
    }

    /** What Deploy would deploy now, and every module it would skip with why (D3). Changes nothing. */
    void preview(Context ctx) {
        ctx.json(actions.preview());
    }

    /** POST /api/deploy: 202 with the deployment started, or 200 when there is nothing to deploy. */
    void deploy(Context ctx) {
        var started = actions.deploy(ctx);
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
        ctx.json(actions.rollback(ctx, id, module));
    }
}
