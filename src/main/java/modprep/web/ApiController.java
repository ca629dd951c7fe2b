package modprep.web;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import com.fasterxml.jackson.databind.node.ObjectNode;
import modprep.Json;
import modprep.insight.Insights;
import modprep.readmodel.ModuleReports;

/** The JSON API's reads, for scripts (its actions are in {@link ApiActions}). Errors are {@code {error, message}} (see WebApp). */
final class ApiController {
    private final RequestState state;
    private final RunPages runs;
    private final ModuleReports reports;
    private final Insights insights;

    ApiController(RequestState state, RunPages runs, ModuleReports reports, Insights insights) {
        this.insights = insights;
        this.state = state;
        this.runs = runs;
        this.reports = reports;
    }

    /** The latest run with its groups, steps and modules (what `modprep status --json` prints). */
    void status(Context ctx) throws IOException {
        var run = state.stamp(ctx).latestRun();
        if (run == null) {
            ctx.contentType(ContentType.APPLICATION_JSON).result("null"); // as `modprep status --json` prints it
        } else {
            runs.json(ctx, run.id());
        }
    }

    void preparations(Context ctx) throws IOException {
        runs.allJson(ctx);
    }

    void preparation(Context ctx) throws IOException {
        runs.json(ctx, ctx.pathParamAsClass("id", Long.class).get());
    }

    void modules(Context ctx) {
        var rows = ModuleRows.of(state.board(ctx), ctx.queryParam("q"), ctx.queryParamAsClass("status", String.class).getOrDefault(""), null);
        var page = Paging.of(rows, ctx.queryParamAsClass("page", Integer.class).getOrDefault(1));
        var body = new LinkedHashMap<String, Object>(); // in this order every time (Map.of's order changes from run to run)
        body.put("page", page.page());
        body.put("pages", page.pages());
        body.put("total", page.total());
        body.put("modules", page.items());
        ctx.json(body);
    }

    /** A module's report, with when it can be published (I2). */
    void module(Context ctx) {
        var current = state.board(ctx);
        var report = reports.report(ctx.pathParam("name"), current.snapshot(), current.statuses());
        var body = Json.MAPPER.convertValue(report, ObjectNode.class);
        body.putPOJO("publishable", insights.module(current, report.name(), insights.eta(current.stamp())));
        ctx.json(body);
    }

    /**
     * I1-I3 at once: the running run's estimate (null when none runs), the failures ranked by what they
     * block, and every application with when it can be published and what its team can publish now.
     */
    void insight(Context ctx) {
        var current = state.board(ctx);
        var eta = insights.eta(current.stamp());
        var body = new LinkedHashMap<String, Object>();
        body.put("version", current.version().toString());
        body.put("run", current.stamp().latestRun() == null ? null : current.stamp().latestRun().id());
        body.put("estimate", eta);
        body.put("fixFirst", insights.fixFirst(current));
        body.put("applications", insights.applications(current, eta).values());
        ctx.json(body);
    }
}
