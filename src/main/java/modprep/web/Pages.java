package modprep.web;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import modprep.insight.Insights;

/**
 * What every page shares: the layout's banner and sidebar, from the request's one stamp, the signed-in
 * user and the form token, the flash message of the last action (POST, redirect, GET); and rendering.
 */
final class Pages {
    private final Views views;
    private final RequestState state;
    private final Insights insights;
    private final Chrome chrome;

    Pages(Views views, RequestState state, Insights insights, Chrome chrome) {
        this.views = views;
        this.state = state;
        this.insights = insights;
        this.chrome = chrome;
    }

    /** The model every page starts from. Call it after the page read its board, so that both show one moment. */
    Map<String, Object> model(Context ctx) {
        var stamp = state.stamp(ctx);
        var chromeModel = chrome.model(stamp);
        var model = new HashMap<String, Object>(chromeModel);
        // A live update's fetch must not take the flash that the page after an action is about to show.
        model.put("flash", live(ctx) ? null : ctx.consumeSessionAttribute("flash"));
        model.put("path", ctx.path());
        model.put("user", Actors.user(ctx));
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
