package modprep.web;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import modprep.readmodel.DeploymentQueries;
import modprep.readmodel.ModuleReport;
import modprep.readmodel.ModuleReports;
import modprep.status.ModuleStatus;

/** Factory › Modules (U7) and the module page (U6); their actions are in {@link ModuleActions}. */
final class ModulesController {
    private final Pages pages;
    private final RequestState state;
    private final Regions regions;
    private final ModuleReports reports;
    private final PicturePages pictures;
    private final DeploymentQueries deployments;

    ModulesController(Pages pages, RequestState state, Regions regions, ModuleReports reports, PicturePages pictures,
                      DeploymentQueries deployments) {
        this.pages = pages;
        this.state = state;
        this.regions = regions;
        this.reports = reports;
        this.pictures = pictures;
        this.deployments = deployments;
    }

    void list(Context ctx) {
        String q = ctx.queryParamAsClass("q", String.class).getOrDefault("").strip();
        String status = ctx.queryParamAsClass("status", String.class).getOrDefault("");
        int page = ctx.queryParamAsClass("page", Integer.class).getOrDefault(1);
        var current = state.board(ctx);
        var model = pages.model(ctx);
        model.put("q", q);
        model.put("status", status);
        model.put("filters", ModuleStatus.filters());
        // The count, the table and the pager: once per board and query.
        model.put("listHtml", regions.of(current, String.join("\u0000", "modules", String.valueOf(page), status, q), () -> {
            var list = new HashMap<String, Object>();
            list.put("modules", Paging.of(ModuleRows.of(current, q, status, null), page));
            list.put("q", q);
            list.put("status", status);
            list.put("platformVersion", current.stamp().version());
            return pages.fragment("modules", "modules-list", list);
        }));
        pages.render(ctx, "modules", model);
    }

    /** A module's report, and the deployment its running compilation came from (null if none). */
    private record Shown(ModuleReport report, DeploymentQueries.Deployed deployedBy) {
    }

    void show(Context ctx) {
        var current = state.board(ctx);
        String name = ctx.pathParam("name");
        // Read once per board: whatever changes the module (an upload, a publish, a deployment, a run's locks)
        // moves the stamp. A module with a thousand consumers costs a thousand statuses' texts.
        var shown = regions.of(current, "report\u0000" + name, () -> new Shown(reports.report(name, current.snapshot(), current.statuses()),
                deployments.runningDeployment(name)));
        var report = shown.report();
        var model = pages.model(ctx);
        model.put("module", report);
        model.put("deployedBy", shown.deployedBy()); // D8: what it runs came from a deployment, if it did
        model.put("statusLabel", report.statusForCurrentVersion().label());
        model.put("statusBadge", report.statusForCurrentVersion().badge());
        model.put("publishable", pages.insights().module(current, report.name(), pages.insights().eta(current.stamp()))); // I2
        model.put("producers", ModuleRows.neighbours(report.producers(), current));
        var consumers = Paging.of(report.consumers(), ctx.queryParamAsClass("consumers", Integer.class).getOrDefault(1));
        model.put("consumers", consumers);
        // The page of consumers, with their statuses and the pager: once per board, module and page.
        model.put("consumersHtml", regions.of(current, String.join("\u0000", "consumers", report.name(), String.valueOf(consumers.page())), () -> {
            var list = new HashMap<String, Object>();
            list.put("module", Map.of("name", report.name()));
            list.put("consumers", new Paging<>(ModuleRows.neighbours(consumers.items(), current), consumers.page(), consumers.size(),
                    consumers.total()));
            return pages.fragment("module", "consumers-list", list);
        }));
        pictures.neighbourhood(model, current, report.name());
        pages.render(ctx, "module", model);
    }
}
