package modprep.web;

import io.javalin.http.Context;
import java.util.HashMap;
import modprep.ModprepException;
import modprep.environment.Publisher;
import modprep.platform.PlatformVersion;
import modprep.access.Audit;
import modprep.platform.PlatformCatalog;
import modprep.preparation.Preparations;
import modprep.readmodel.DeploymentQueries;
import modprep.readmodel.RunQueries;

/**
 * Factory › Upgrades (U3): the current run, the report of every run, the upgrade form with the P5
 * warning, Prepare and Publish all; one page per run (U4); the current preparation details (U2).
 */
final class UpgradesController {
    private final Pages pages;
    private final RequestState state;
    private final Regions regions;
    private final RunPages runPages;
    private final RunQueries runs;
    private final DeploymentQueries deployments;
    private final Preparations preparations;
    private final Publisher publisher;
    private final PlatformCatalog catalog;
    private final Audit audit;
    private final Runnable wakeWorker;

    UpgradesController(Pages pages, RequestState state, Regions regions, RunPages runPages, RunQueries runs, DeploymentQueries deployments,
                       Preparations preparations, Publisher publisher, PlatformCatalog catalog, Audit audit, Runnable wakeWorker) {
        this.pages = pages;
        this.state = state;
        this.regions = regions;
        this.runPages = runPages;
        this.runs = runs;
        this.deployments = deployments;
        this.preparations = preparations;
        this.publisher = publisher;
        this.catalog = catalog;
        this.audit = audit;
        this.wakeWorker = wakeWorker;
    }

    void upgrades(Context ctx) {
        var runs = runPages.all(ctx);
        Html reportHtml = null;
        if (runs.stream().noneMatch(r -> r.running())) {
            // Nothing on the report depends on the time: rendered once per stamp.
            reportHtml = regions.of(state.stamp(ctx), "runs-report", () -> {
                var report = new HashMap<String, Object>();
                report.put("runs", runs);
                report.put("deployments", deployments.byPreparationRun());
                return pages.fragment("upgrades", "live-report", report);
            });
        }
        var model = pages.model(ctx);
        model.put("reportHtml", reportHtml);
        var current = PlatformVersion.parseOrNull((String) model.get("platformVersion"));
        model.put("runs", runs);
        if (reportHtml == null) {
            model.put("deployments", deployments.byPreparationRun()); // for the report rendered with the page
        }
        model.put("newerVersions", catalog.versions().stream().filter(v -> v.isAfter(current)).map(Object::toString).toList());
        // P5: from 11.10.0 or earlier, upgrading to 11.12.0 or later recommends publishing everything.
        model.put("publishAllRecommendedOnUpgrade", !current.isAfter(PlatformVersion.LAST_BEFORE_NEW_CONFIGURATIONS));
        model.put("lastRunHasErrors", !runs.isEmpty() && !runs.get(0).running() && !runs.get(0).succeeded());
        pages.renderShared(ctx, "upgrades", model, true);
    }

    void upgrade(Context ctx) {
        try {
            var started = audit.record(Actors.actor(ctx), "upgrade", ctx.formParam("toVersion"),
                    () -> preparations.upgrade(ctx.formParam("toVersion"), Actors.of(ctx)));
            wakeWorker.run();
            String message = "Upgraded the environment from " + started.from() + " to " + started.to() + ". "
                    + (started.runId() == null
                    ? "Platform " + started.to() + " has no modules preparation: " + started.modules()
                            + " modules are marked publish required. Publish all to run them on " + started.to() + "."
                    : "Preparation run #" + started.runId() + " started: " + started.modules() + " modules in "
                            + started.groups() + " groups (" + started.mode() + ").");
            if (started.publishAllRecommended()) {
                message += "\nKnown issue: coming from " + started.from() + ", publishing all applications is recommended.";
            }
            Pages.flash(ctx, started.publishAllRecommended() ? "warning" : "success", message);
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
        }
        ctx.redirect("/upgrades");
    }

    void prepare(Context ctx) {
        try {
            var started = audit.record(Actors.actor(ctx), "prepare", null, () -> preparations.prepare(Actors.of(ctx)));
            wakeWorker.run();
            Pages.flash(ctx, "success", started.runId() == null
                    ? "Nothing to prepare: every published module is prepared for " + started.to() + "."
                    : "Prepare started preparation run #" + started.runId() + ": " + started.modules() + " modules in "
                            + started.groups() + " groups.");
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
        }
        ctx.redirect("/upgrades");
    }

    void publishAll(Context ctx) {
        try {
            audit.record(Actors.actor(ctx), "publish-all", null, () -> {
                var report = publisher.publishAll(Actors.of(ctx));
                long published = report.results().stream().filter(r -> r.status() == Publisher.Status.PUBLISHED).count();
                var failed = report.results().stream().filter(r -> r.status() != Publisher.Status.PUBLISHED).map(r -> r.module()).toList();
                String message = "Published " + published + " of " + report.results().size() + " modules with " + report.version()
                        + "." + (failed.isEmpty() ? "" : " Not published: " + String.join(", ", failed));
                Pages.flash(ctx, failed.isEmpty() ? "success" : "danger", message);
                return failed.isEmpty() ? Audit.Outcome.succeeded(message) : Audit.Outcome.failed(message);
            });
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
        }
        ctx.redirect("/upgrades");
    }

    /** U4: one run, its groups, their steps and modules, and every failure's diagnostics. */
    void preparation(Context ctx) {
        runPages.show(ctx, ctx.pathParamAsClass("id", Long.class).get());
    }

    /** The latest run's report, where the older versions' link leads (PrepareModules.aspx). */
    void latestReport(Context ctx) {
        var run = state.stamp(ctx).latestRun();
        if (run == null) {
            throw ModprepException.notFound("there has been no preparation run yet");
        }
        runPages.show(ctx, run.id());
    }

    /** U2: the run in progress: which group, its modules and steps, and progress. */
    void current(Context ctx) {
        // The group in progress is read at the request's stamp, so that the banner and the page agree on it.
        var latest = state.stamp(ctx).latestRun();
        var group = latest == null || latest.currentGroup() == null ? null : state.consistent(ctx, () -> {
            var run = state.stamp(ctx).latestRun();
            return run == null || run.currentGroup() == null ? null
                    : runs.groups(run.id(), run.currentGroup(), run.currentGroup()).stream().findFirst().orElse(null);
        });
        var model = pages.model(ctx);
        model.put("run", state.stamp(ctx).latestRun());
        model.put("group", group);
        model.put("nextGroup", state.stamp(ctx).group());
        var eta = pages.insights().eta(state.stamp(ctx)); // I1
        model.put("eta", eta);
        runPages.pictures().progress(model, state.stamp(ctx), eta == null ? null : eta.endsAt());
        pages.renderShared(ctx, "current", model, true);
    }
}
