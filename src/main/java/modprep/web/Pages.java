package modprep.web;

import io.javalin.http.Context;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import modprep.Modprep;
import modprep.readmodel.StatusBoard;

/**
 * What every page shares: the layout's banner and sidebar, the flash message of the last action
 * (POST, redirect, GET), and rendering; and the one {@link StatusBoard.Stamp} a request reads, for its
 * banner and, if it needs one, its board (no other query to know whether anything changed).
 */
final class Pages {
    private static final String STAMP = "modprep.stamp";
    private static final String BOARD = "modprep.board";

    private final Modprep app;
    private final Views views;
    private final StatusBoard board;

    Pages(Modprep app, Views views, StatusBoard board) {
        this.app = app;
        this.views = views;
        this.board = board;
    }

    StatusBoard statusBoard() {
        return board;
    }

    /** The stamp of this request: read once, on first use. */
    StatusBoard.Stamp stamp(Context ctx) {
        StatusBoard.Stamp stamp = ctx.attribute(STAMP);
        if (stamp == null) {
            stamp = board.stamp();
            ctx.attribute(STAMP, stamp);
        }
        return stamp;
    }

    /** Every module's status, for this request's stamp. */
    StatusBoard.Board board(Context ctx) {
        StatusBoard.Board current = ctx.attribute(BOARD);
        if (current == null) {
            current = board.current(stamp(ctx));
            ctx.attribute(BOARD, current);
        }
        return current;
    }

    Modprep app() {
        return app;
    }

    Views views() {
        return views;
    }

    /** The model every page starts from. */
    Map<String, Object> model(Context ctx, String active, String title) {
        var model = new HashMap<String, Object>();
        model.putAll(chrome(stamp(ctx)));
        model.put("active", active);
        model.put("title", title);
        model.put("flash", ctx.consumeSessionAttribute("flash"));
        model.put("path", ctx.path());
        model.put("user", Actors.user(ctx));
        model.put("csrf", ctx.sessionAttribute(AccessControl.SESSION_CSRF));
        return model;
    }

    /** The banner and sidebar status, from the latest run (also pushed live, see LiveUpdates). */
    Map<String, Object> chrome(StatusBoard.Stamp stamp) {
        var run = stamp.latestRun();
        var chrome = new HashMap<String, Object>();
        chrome.put("banner", Banner.of(run));
        chrome.put("latestRun", run);
        chrome.put("platformVersion", stamp.version());
        chrome.put("fmt", FORMAT);
        return chrome;
    }

    private static final Format FORMAT = new Format();

    /** Runs an action as the signed-in user, recorded in the audit with how it ended. */
    <T> T audited(Context ctx, String action, String target, Supplier<T> work) {
        return app.audit().record(Actors.actor(ctx), action, target, work);
    }

    /** Regions kept per board (or per stamp): a page's lists for this many queries at most. */
    private static final int REGIONS = 256;

    /**
     * A region of a page that depends only on the board and on the request's query (a page of modules,
     * of applications, of a module's consumers): rendered once per board and key, the rest of the page
     * (banner, user, CSRF token, flash) each time. At most {@value #REGIONS} regions are kept per board, the
     * least recently used let go first; a new board starts afresh.
     */
    String region(StatusBoard.Board current, String key, Supplier<String> render) {
        return region(current.memo("regions", Pages::regions), key, render);
    }

    /** The same, for a region that depends only on the stamp (the runs report). */
    String region(StatusBoard.Stamp stamp, String key, Supplier<String> render) {
        return region(board.memo(stamp, "regions", Pages::regions), key, render);
    }

    private static Map<String, CompletableFuture<String>> regions() {
        return Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<String>> eldest) {
                return size() > REGIONS;
            }
        });
    }

    /**
     * Rendered by the first request that needs it; the others that need it meanwhile wait for that one
     * (when a run moves on, dozens of requests would otherwise render the same new region at once).
     */
    private static String region(Map<String, CompletableFuture<String>> regions, String key, Supplier<String> render) {
        var mine = new CompletableFuture<String>();
        var known = regions.putIfAbsent(key, mine);
        if (known != null) {
            return known.join();
        }
        try {
            String html = render.get();
            mine.complete(html);
            return html;
        } catch (RuntimeException | Error e) {
            regions.remove(key, mine); // the next request tries again
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** One fragment of a template, rendered alone (a region). */
    String fragment(String template, String fragment, Map<String, Object> model) {
        model.putIfAbsent("fmt", FORMAT);
        return views.renderFragment(template, fragment, model);
    }

    /** Renders the page, or only one of its live regions when asked with ?fragment=NAME (see static/js/live.js). */
    void render(Context ctx, String template, Map<String, Object> model) {
        String fragment = ctx.queryParam("fragment");
        if (fragment != null && fragment.matches("live-[a-z-]{1,40}")) {
            ctx.html(views.renderFragment(template, fragment, model));
        } else {
            ctx.html(views.render(template, model));
        }
    }

    /** Remembers the outcome of an action for the page the browser is redirected to. */
    static void flash(Context ctx, String kind, String message) {
        ctx.sessionAttribute("flash", new Flash(kind, message));
    }

    /** An action's outcome: "success", "danger" or "warning", and the message. */
    record Flash(String kind, String message) implements java.io.Serializable {
    }
}
