package modprep.web;

import io.javalin.http.Context;
import modprep.ModprepException;
import modprep.deployment.Rollbacks;
import modprep.readmodel.DeploymentQueries;

/**
 * The deployment step in the console (D3, D7, D8): the preview before Deploy, Deploy itself, one page per
 * deployment (groups, timed steps, failures and skips with why, live), and rollback; actions audited.
 */
final class DeploymentPages {
    private final Pages pages;
    private final RequestState state;
    private final DeploymentActions actions;
    private final DeploymentQueries queries;

    DeploymentPages(Pages pages, RequestState state, DeploymentActions actions, DeploymentQueries queries) {
        this.pages = pages;
        this.state = state;
        this.actions = actions;
        this.queries = queries;
    }

    /** D3: what Deploy would deploy, in which groups, and every module it would skip with why. */
    void preview(Context ctx) {
        var preview = actions.preview();
        var model = pages.model(ctx);
        model.put("preview", preview);
        pages.render(ctx, "deployment-preview", model);
    }

    void deploy(Context ctx) {
        try {
            var started = actions.deploy(ctx);
            if (started.deploymentId() == null) {
                Pages.flash(ctx, "success", "Nothing to deploy: no prepared module waits to be deployed for " + started.plan().version() + ".");
                ctx.redirect("/upgrades");
                return;
            }
            Pages.flash(ctx, "success", "Deployment #" + started.deploymentId() + " started: " + started.plan().modules() + " modules in "
                    + started.plan().groups().size() + " groups; " + started.plan().skipped().size() + " skipped (listed below with why).");
            ctx.redirect("/deployments/" + started.deploymentId());
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
            ctx.redirect("/upgrades");
        }
    }

    /** D8: one deployment, its groups with their steps and modules, and what it skipped. */
    void show(Context ctx) {
        long id = ctx.pathParamAsClass("id", Long.class).get();
        var deployment = state.consistent(ctx, () -> queries.deployment(id, true));
        var model = pages.model(ctx);
        model.put("d", deployment);
        pages.render(ctx, "deployment", model);
    }

    /** D7: the deployment, or one module of it with its consumers, back to what each ran before. */
    void rollback(Context ctx) {
        long id = ctx.pathParamAsClass("id", Long.class).get();
        String module = ctx.formParam("module");
        String only = module == null || module.isBlank() ? null : module;
        try {
            var result = actions.rollback(ctx, id, only);
            Pages.flash(ctx, "success", "Rolled back " + result.rolledBack().size() + " modules, consumers first: "
                    + String.join(", ", result.rolledBack().stream().map(Rollbacks.RolledBack::module).toList()) + "."
                    + (result.notRolledBack().isEmpty() ? "" : " Left as they are: " + result.notRolledBack()));
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
        }
        ctx.redirect("/deployments/" + id);
    }
}
