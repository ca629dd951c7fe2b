package modprep.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modprep.Json;
import modprep.ModprepException;
import modprep.access.Audit;
import modprep.readmodel.ModuleReports;

/** The JSON API beside the pages, for scripts. Errors are {@code {error, message}} (see WebApp). */
final class ApiController {
    private final Pages pages;
    private final ModulesController modules;
    private final RunPages runs;
    private final Runnable wakeWorker;

    ApiController(Pages pages, ModulesController modules, RunPages runs, Runnable wakeWorker) {
        this.pages = pages;
        this.modules = modules;
        this.runs = runs;
        this.wakeWorker = wakeWorker;
    }

    /** The latest run with its groups, steps and modules (what `modprep status --json` prints). */
    void status(Context ctx) {
        var run = pages.stamp(ctx).latestRun();
        if (run == null) {
            ctx.contentType(ContentType.APPLICATION_JSON).result("null"); // as `modprep status --json` prints it
        } else {
            runs.json(ctx, run.id());
        }
    }

    void preparations(Context ctx) {
        runs.allJson(ctx);
    }

    void preparation(Context ctx) {
        runs.json(ctx, ctx.pathParamAsClass("id", Long.class).get());
    }

    void modules(Context ctx) {
        var rows = modules.rows(pages.board(ctx), ctx.queryParam("q"), ctx.queryParamAsClass("status", String.class).getOrDefault(""), null);
        var page = Paging.of(rows, ctx.queryParamAsClass("page", Integer.class).getOrDefault(1));
        var body = new LinkedHashMap<String, Object>(); // in this order every time (Map.of's order changes from run to run)
        body.put("page", page.page());
        body.put("pages", page.pages());
        body.put("total", page.total());
        body.put("modules", page.items());
        ctx.json(body);
    }

    void module(Context ctx) {
        var current = pages.board(ctx);
        ctx.json(new ModuleReports(pages.app().database().dsl()).report(ctx.pathParam("name"), current.snapshot(), current.statuses()));
    }

    void upgrade(Context ctx) {
        var body = body(ctx);
        var toVersion = body.get("toVersion");
        if (toVersion == null || !toVersion.isTextual()) {
            throw ModprepException.badInput("the body must be {\"toVersion\": \"11.17.0\"}");
        }
        var started = pages.audited(ctx, "upgrade", toVersion.asText(),
                () -> pages.app().preparations().upgrade(toVersion.asText(), Actors.of(ctx)));
        wakeWorker.run();
        ctx.status(started.runId() == null ? 200 : 202).json(started);
    }

    void prepare(Context ctx) {
        var started = pages.audited(ctx, "prepare", null, () -> pages.app().preparations().prepare(Actors.of(ctx)));
        wakeWorker.run();
        ctx.status(started.runId() == null ? 200 : 202).json(started);
    }

    void publish(Context ctx) {
        String name = ctx.pathParam("name");
        var reports = new ArrayList<modprep.environment.Publisher.Report>(1);
        pages.audited(ctx, "publish", name, () -> {
            var r = pages.app().publisher().publish(List.of(name), Actors.of(ctx));
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
                throw ModprepException.badInput("the value of '" + modprep.environment.Names.abbreviate(field.getKey()) + "' must be a string");
            }
            values.put(field.getKey(), field.getValue().asText());
        }
        String name = ctx.pathParam("name");
        pages.audited(ctx, "apply-configurations", name, () -> {
            pages.app().operations().applyConfigurations(name, values, Actors.of(ctx));
            return null;
        });
        ctx.json(Map.of("module", name, "configuration", values));
    }

    void delete(Context ctx) {
        pages.audited(ctx, "delete", ctx.pathParam("name"), () -> {
            pages.app().operations().delete(ctx.pathParam("name"), Actors.of(ctx));
            return null;
        });
        ctx.status(204);
    }

    private static JsonNode body(Context ctx) {
        String text;
        try {
            text = ctx.body();
        } catch (io.javalin.http.HttpResponseException e) {
            if (e.getStatus() == 413) { // over Javalin's maxRequestSize (1 MB by default): answered like any other bad body
                throw ModprepException.badInput("the request body is too large (a request has at most 1 MB)");
            }
            throw e;
        }
        try {
            // A key given twice is refused rather than silently taking one of its values.
            var node = Json.MAPPER.reader().with(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
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
