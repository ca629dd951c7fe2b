package modprep.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the JSON API asks of a request besides its credentials, so that a page of another site cannot
 * drive it from a browser that holds them: a change (POST, PUT, PATCH, DELETE) must not come from another
 * origin, and a body must be JSON (a form or text/plain body is what another site's page can send without
 * asking). Scripts send neither Origin nor Sec-Fetch-Site, and need no body to prepare.
 */
final class ApiRequestRules {
    private ApiRequestRules() {
    }

    /** Why the API refuses the request, as status, error and message; or null. */
    static Refusal check(Context ctx) {
        if (!isRead(ctx) && fromElsewhere(ctx)) {
            return new Refusal(403, "cross_site", "a change through the API must come from a script or from this console's own "
                    + "pages, not from another site (Origin or Sec-Fetch-Site say it did): nothing was changed");
        }
        if (hasBody(ctx) && !isJson(ctx.header("Content-Type"))) {
            return new Refusal(415, "unsupported_media_type", "the request body must be JSON, sent with Content-Type: application/json");
        }
        return null;
    }

    /** A refusal of the API: {@code {error, message}} with its status. */
    record Refusal(int status, String error, String message) {
        Map<String, String> body() {
            var body = new LinkedHashMap<String, String>(); // error first, as every API error is shown
            body.put("error", error);
            body.put("message", message);
            return body;
        }
    }

    /** A request that changes nothing. */
    static boolean isRead(Context ctx) {
        String method = ctx.method().name();
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }

    /**
     * Sent by a browser on behalf of another origin: an Origin that is not this console's (an opaque
     * "null" included), or Sec-Fetch-Site saying another site (same-site is another origin too: a sibling
     * host is not this console).
     */
    private static boolean fromElsewhere(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
            return true;
        }
        String origin = ctx.header("Origin");
        return origin != null && !origin.equalsIgnoreCase(ctx.scheme() + "://" + ctx.host());
    }

    private static boolean hasBody(Context ctx) {
        return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }
}
