package modprep.web;

import io.javalin.http.Context;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import modprep.logging.LogFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Each request's id, so that what a user reports ("Request id: …" on an error page, the
 * {@code X-Request-Id} of a response) can be found in the log: every line logged for the request carries
 * it, and one line per request says how it ended. A caller's own id (a proxy's, a client's) is kept when
 * it is a sane token; anything else is replaced, so that nobody writes what they like into the log.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "modprep.requestId";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Logger LOG = LoggerFactory.getLogger("modprep.web.Requests");

    private RequestIds() {
    }

    /** The first before-handler: names the request, on its response and on this thread's log lines. */
    static void begin(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : generate();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        MDC.put(LogFields.REQUEST, id);
    }

    /** This request's id (null only before {@link #begin}). */
    static String of(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }

    /**
     * The request's log line, once its response is written: method, route (the template, not the
     * values in it), status, duration. Then the thread, which serves other requests next, forgets the id.
     * Static files are logged at debug: a page brings several.
     */
    static void end(Context ctx, Float millis) {
        String id = of(ctx);
        if (id != null) {
            MDC.put(LogFields.REQUEST, id);
        }
        try {
            String route = route(ctx);
            boolean asset = route.startsWith("/static/") || route.startsWith("/webjars/");
            if (asset ? LOG.isDebugEnabled() : LOG.isInfoEnabled()) {
                String line = "{} {} {} {} ms";
                Object[] values = {ctx.method(), route, ctx.statusCode(), Math.round(millis == null ? 0 : millis)};
                if (asset) {
                    LOG.debug(line, values);
                } else {
                    LOG.info(line, values);
                }
            }
        } finally {
            MDC.remove(LogFields.REQUEST);
        }
    }

    /** The route's template ({@code /modules/{name}}) when one matched, else the path, shortened. */
    private static String route(Context ctx) {
        try {
            var matched = ctx.endpoints().matchedHttpEndpoint();
            if (matched != null) {
                return matched.path;
            }
        } catch (RuntimeException noEndpoint) {
            // a static file, or no such page
        }
        return modprep.environment.Names.abbreviate(ctx.path());
    }

    private static String generate() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }
}
