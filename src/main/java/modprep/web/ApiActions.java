package modprep.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modprep.Json;
import modprep.ModprepException;
import modprep.access.Audit;
import modprep.environment.ModuleOperations;
import modprep.environment.Names;
import modprep.environment.Publisher;
import modprep.preparation.Preparations;

/** The JSON API's actions: upgrade, Prepare, publish, apply configurations, delete, each audited. */
final class ApiActions {
    private final Preparations preparations;
    private final Publisher publisher;
    private final ModuleOperations operations;
    private final Audit audit;
    private final Runnable wakeWorker;

    ApiActions(Preparations preparations, Publisher publisher, ModuleOperations operations, Audit audit, Runnable wakeWorker) {
        this.preparations = preparations;
        this.publisher = publisher;
        this.operations = operations;
        this.audit = audit;
        this.wakeWorker = wakeWorker;
    }

    void upgrade(Context ctx) {
        var body = body(ctx);
        var toVersion = body.get("toVersion");
        if (toVersion == null || !toVersion.isTextual()) {
            throw ModprepException.badInput("the body must be {\"toVersion\": \"11.17.0\"}");
        }
        var started = audit.record(Actors.actor(ctx), "upgrade", toVersion.asText(),
                () -> preparations.upgrade(toVersion.asText(), Actors.of(ctx)));
        wakeWorker.run();
        ctx.status(started.runId() == null ? 200 : 202).json(started);
    }

    void prepare(Context ctx) {
        var started = audit.record(Actors.actor(ctx), "prepare", null, () -> preparations.prepare(Actors.of(ctx)));
        wakeWorker.run();
        ctx.status(started.runId() == null ? 200 : 202).json(started);
    }

    void publish(Context ctx) {
        String name = ctx.pathParam("name");
        var reports = new ArrayList<Publisher.Report>(1);
        audit.record(Actors.actor(ctx), "publish", name, () -> {
            var r = publisher.publish(List.of(name), Actors.of(ctx));
            reports.add(r);
            return r.allPublished() ? Audit.Outcome.succeeded(null) : Audit.Outcome.failed(r.results().get(0).detail());
        });
        var report = reports.get(0);
        var result = report.results().get(0);
        switch (result.status()) {
            case PUBLISHED -> ctx.json(report);
            case FAILED -> ctx.status(422).json(Map.of("error", "compile_errors", "message", result.detail(),
                    "diagnostics", result.errors()));
            default -> ctx.status(409).json(Map.of("error", WebApp.errorCode(ModprepException.Kind.REFUSED), "message", result.detail()));
        }
    }

    void configurations(Context ctx) {
        var body = body(ctx);
        if (!body.isObject()) {
            throw ModprepException.badInput("the body must be a JSON object of configuration keys and string values");
        }
        var values = new LinkedHashMap<String, String>();
        var fields = body.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getValue().isTextual()) {
                throw ModprepException.badInput("the value of '" + Names.abbreviate(field.getKey()) + "' must be a string");
            }
            values.put(field.getKey(), field.getValue().asText());
        }
        String name = ctx.pathParam("name");
        audit.record(Actors.actor(ctx), "apply-configurations", name, () -> {
            operations.applyConfigurations(name, values, Actors.of(ctx));
            return null;
        });
        ctx.json(Map.of("module", name, "configuration", values));
    }

    void delete(Context ctx) {
        audit.record(Actors.actor(ctx), "delete", ctx.pathParam("name"), () -> {
            operations.delete(ctx.pathParam("name"), Actors.of(ctx));
            return null;
        });
        ctx.status(204);
    }

    private static JsonNode body(Context ctx) {
        String text;
        try {
            text = ctx.body();
        } catch (HttpResponseException e) {
            if (e.getStatus() == 413) { // over Javalin's maxRequestSize (1 MB by default): answered like any other bad body
                throw ModprepException.badInput("the request body is too large (a request has at most 1 MB)");
            }
            throw e;
        }
        try {
            // A key given twice is refused rather than silently taking one of its values.
            var node = Json.MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(text);
            if (node == null) {
                throw ModprepException.badInput("the request needs a JSON body");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ModprepException.badInput("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
