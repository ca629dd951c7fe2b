package modprep.web;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * The answer while the database does not answer: 503 at once, with Retry-After, a bare page (the layout
 * itself needs the database) or the API's JSON error, saying what is wrong and nothing about the server.
 */
final class DatabaseOutage {
    static final String TITLE = "Database unavailable";
    static final String MESSAGE = "The database is not answering, so modprep can neither show nor change anything now. "
            + "A run in progress goes on by itself once it is back; try again in a moment.";
    /** Seconds a client is asked to wait: the database is checked twice a second, a restart takes a few. */
    private static final String RETRY_AFTER = "5";

    private DatabaseOutage() {
    }

    static void answer(Context ctx, Pages pages) {
        ctx.status(503).header("Retry-After", RETRY_AFTER);
        if (ctx.path().startsWith("/api/")) {
            ctx.json(Map.of("error", "unavailable", "message", MESSAGE));
        } else {
            var model = new HashMap<String, Object>(Map.of("title", TITLE, "message", MESSAGE));
            model.put("requestId", RequestIds.of(ctx));
            ctx.html(pages.alone("bare-error", model));
        }
    }
}
