package modprep.web;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import modprep.insight.Insights;
import modprep.readmodel.Stamp;
import modprep.readmodel.StatusBoard;
import org.unbescape.html.HtmlEscape;

/**
 * The banner and the sidebar of every page, which show the stamp only: rendered once per stamp for every
 * page and the live updates (rendering them for each page was a quarter of the overview's time). The
 * banner's forms carry each session's CSRF token, put in place of a stand-in per page.
 */
final class Chrome {
    static final Format FORMAT = new Format();
    /** Stands for the session's CSRF token in the banner's forms, rendered once for every session. */
    static final String TOKEN = "modprep-csrf-" + java.util.UUID.randomUUID();

    private final Views views;
    private final StatusBoard board;
    private final Insights insights;

    Chrome(Views views, StatusBoard board, Insights insights) {
        this.views = views;
        this.board = board;
        this.insights = insights;
    }

    /** The banner and the sidebar, rendered. */
    record Regions(Html banner, Html sidebar) {
        /** With this session's CSRF token in the banner's forms (none in a live update: live.js puts the page's). */
        Regions withToken(String csrf) {
            // The token is ASCII, as a region must be: URL-safe Base64 (SignInController.newToken), which escaping keeps.
            return new Regions(new Html(Chrome.withToken(banner.text(), csrf)), sidebar);
        }
    }

    /** Rendered HTML with this session's CSRF token in place of the stand-in (none: blank). */
    static String withToken(String html, String csrf) {
        return html.replace(TOKEN, csrf == null ? "" : HtmlEscape.escapeHtml5(csrf));
    }

    /** What the banner and the sidebar show, from the latest run (also pushed live, see LiveUpdates). */
    Map<String, Object> model(Stamp stamp) {
        var run = stamp.latestRun();
        var chrome = new HashMap<String, Object>();
        chrome.put("banner", Banner.of(run, insights.eta(stamp), insights.fixFirst(stamp)));
        // D8: a deployment in progress, or one that ended in the last day.
        var deployment = stamp.latestDeployment();
        chrome.put("deployment", deployment != null && (deployment.running() || (deployment.finishedAt() != null
                && deployment.finishedAt().isAfter(Instant.now().minus(Banner.SUCCESS_SHOWN_FOR)))) ? deployment : null);
        chrome.put("latestRun", run);
        chrome.put("platformVersion", stamp.version());
        chrome.put("fmt", FORMAT);
        return chrome;
    }

    /** What the banner and the sidebar show beyond the stamp: part of the key of whatever holds them. */
    static String key(Map<String, Object> model) {
        return "chrome " + ((Banner) model.get("banner")).state().code() + " " + (model.get("deployment") != null);
    }

    /**
     * Rendered from {@link #model}. What the stamp does not fix, whether a success is still shown (a day
     * after it), is part of the key.
     */
    Regions html(Stamp stamp, Map<String, Object> model) {
        return board.memo(stamp, key(model), () -> {
            var rendered = new HashMap<>(model);
            rendered.put("csrf", TOKEN);
            return new Regions(views.renderFragment("fragments/banner", "banner", rendered),
                    views.renderFragment("fragments/sidebar", "sidebar", rendered));
        });
    }
}
