package modprep.web;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import modprep.access.User;
import modprep.insight.Insights;
import org.unbescape.html.HtmlEscape;

/**
 * What every page shares: the layout's banner and sidebar, from the request's one stamp, the signed-in
 * user and the form token, the flash message of the last action (POST, redirect, GET); and rendering.
 */
final class Pages {
    /** Stands for the signed-in user's name in a page rendered once for many sessions. */
    private static final String NAME = "modprep-user-" + UUID.randomUUID();

    private final Views views;
    private final RequestState state;
    private final Insights insights;
    private final Chrome chrome;
    private final Regions regions;

    Pages(Views views, RequestState state, Insights insights, Chrome chrome, Regions regions) {
        this.views = views;
        this.state = state;
        this.insights = insights;
        this.chrome = chrome;
        this.regions = regions;
    }

    /** The model every page starts from. Call it after the page read its board, so that both show one moment. */
    Map<String, Object> model(Context ctx) {
        var stamp = state.stamp(ctx);
        var chromeModel = chrome.model(stamp);
        var model = new HashMap<String, Object>(chromeModel);
        // A live update's fetch must not take the flash that the page after an action is about to show.
        model.put("flash", live(ctx) ? null : ctx.consumeSessionAttribute("flash"));
        model.put("path", ctx.path());
        var user = Actors.user(ctx);
        model.put("user", user);
        // What the page offers to change (the server refuses a viewer's changes in any case: AccessControl).
        model.put("administrator", user != null && user.isAdministrator());
        String csrf = ctx.sessionAttribute(AccessControl.SESSION_CSRF);
        model.put("csrf", csrf);
        var regions = chrome.html(stamp, chromeModel).withToken(csrf);
        model.put("bannerHtml", regions.banner());
        model.put("sidebarHtml", regions.sidebar());
        model.put("requestId", RequestIds.of(ctx));
        // The moment the page shows, as the live stream names it: a page a moment older than the stream's
        // first update (a board still being brought up to date) has its regions fetched again at once.
        model.put("pageStamp", stamp.hashCode());
        return model;
    }

    /** A page outside the layout, from its model only (what a signed-out visitor may see). */
    String alone(String template, Map<String, Object> model) {
        return views.render(template, model);
    }

    Insights insights() {
        return insights;
    }

    /** One fragment of a template, rendered alone (a region). */
    Html fragment(String template, String fragment, Map<String, Object> model) {
        model.putIfAbsent("fmt", Chrome.FORMAT);
        return views.renderFragment(template, fragment, model);
    }

    void render(Context ctx, String template, Map<String, Object> model) {
        ctx.contentType(ContentType.HTML).result(views.page(template, model));
    }

    /**
     * A page that shows only the stamp, the path and query, and what the user's role allows: rendered once
     * per stamp for every session, with stand-ins for the user's name and form token put in place per
     * request, as the banner's are (rendering it for each request was most of its time). A page with an
     * action's flash message is its user's alone.
     *
     * @param ticking whether the page shows the time a run has been going (Upgrades, current details): while
     *                one goes on, it is rendered once a second as well
     */
    void renderShared(Context ctx, String template, Map<String, Object> model, boolean ticking) {
        var user = (User) model.get("user");
        var stamp = state.stamp(ctx);
        if (user == null || model.get("flash") != null || !model.get("pageStamp").equals(stamp.hashCode())) {
            render(ctx, template, model);
            return;
        }
        boolean running = ticking && stamp.latestRun() != null && stamp.latestRun().running();
        String key = String.join("\u0000", template, ctx.path(), String.valueOf(ctx.queryString()), user.role().id(),
                Chrome.key(model), running ? String.valueOf(Instant.now().getEpochSecond()) : "");
        byte[] shared = regions.page(stamp, key, () -> {
            var standIns = new HashMap<>(model);
            standIns.put("user", new User(0, NAME, user.role(), null));
            standIns.put("csrf", Chrome.TOKEN);
            standIns.put("bannerHtml", chrome.html(stamp, model).banner());
            return views.page(template, standIns);
        });
        String csrf = (String) model.get("csrf");
        // Escaped as the engine would: the page is ASCII (non-ASCII characters as references), and so are these.
        String page = Chrome.withToken(new String(shared, StandardCharsets.US_ASCII), csrf)
                .replace(NAME, HtmlEscape.escapeHtml5(user.name()));
        ctx.contentType(ContentType.HTML).result(page.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A page fetched again by static/js/live.js after a live update, for its regions, banner and sidebar
     * (all of one moment): not the user opening it.
     */
    private static boolean live(Context ctx) {
        return "live".equals(ctx.header("X-Requested-With"));
    }

    /** Remembers the outcome of an action for the page the browser is redirected to. */
    static void flash(Context ctx, String kind, String message) {
        ctx.sessionAttribute("flash", new Flash(kind, message));
    }

    /** An action's outcome: "success", "danger" or "warning", and the message. */
    record Flash(String kind, String message) implements Serializable {
    }
}
