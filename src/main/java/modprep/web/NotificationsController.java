package modprep.web;

import io.javalin.http.Context;
import modprep.ModprepException;
import modprep.access.Audit;
import modprep.notification.Webhooks;

/**
 * The Notifications page (administrators only): the webhooks modprep posts events to, each secret shown
 * once when created or rotated, and the log of deliveries. Every change is audited.
 */
final class NotificationsController {
    static final int LOG_SIZE = 50;

    private final Pages pages;
    private final Webhooks webhooks;
    private final Audit audit;

    NotificationsController(Pages pages, Webhooks webhooks, Audit audit) {
        this.pages = pages;
        this.webhooks = webhooks;
        this.audit = audit;
    }

    void page(Context ctx) {
        var model = pages.model(ctx);
        var user = Actors.user(ctx);
        if (user == null || !user.isAdministrator()) {
            // Secrets are never shown, but where events go is the administrators' business only.
            model.put("status", 403);
            model.put("message", "Notifications are for administrators: you are signed in as a viewer.");
            ctx.status(403);
            pages.render(ctx, "error", model);
            return;
        }
        model.put("hooks", webhooks.list());
        model.put("deliveries", webhooks.deliveries(LOG_SIZE));
        model.put("newSecret", ctx.consumeSessionAttribute("newSecret"));
        pages.render(ctx, "notifications", model);
    }

    void add(Context ctx) {
        String url = ctx.formParam("url");
        act(ctx, "webhook-add", url, () -> {
            var hook = webhooks.add(url, Actors.of(ctx));
            shown(ctx, hook, "Added webhook #" + hook.id() + ".");
            return hook;
        });
    }

    void rotate(Context ctx) {
        long id = ctx.pathParamAsClass("id", Long.class).get();
        act(ctx, "webhook-rotate", "#" + id, () -> {
            var hook = webhooks.rotate(id);
            shown(ctx, hook, "Webhook #" + id + " has a new secret; the old one no longer signs anything.");
            return hook;
        });
    }

    void remove(Context ctx) {
        long id = ctx.pathParamAsClass("id", Long.class).get();
        act(ctx, "webhook-remove", "#" + id, () -> {
            String url = webhooks.remove(id);
            Pages.flash(ctx, "success", "Removed webhook #" + id + " (" + url + ") and its deliveries.");
            return url;
        });
    }

    private void act(Context ctx, String action, String target, java.util.function.Supplier<Object> work) {
        try {
            audit.record(Actors.actor(ctx), action, target, work);
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
        }
        ctx.redirect("/notifications");
    }

    private static void shown(Context ctx, Webhooks.WithSecret hook, String message) {
        ctx.sessionAttribute("newSecret", new Secret(hook.id(), hook.url(), hook.secret()));
        Pages.flash(ctx, "success", message + " Copy its secret now: it is not shown again.");
    }

    /** A secret on its way to the one page that shows it. */
    record Secret(long id, String url, String secret) implements java.io.Serializable {
    }
}
