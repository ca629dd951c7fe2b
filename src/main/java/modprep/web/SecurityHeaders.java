package modprep.web;

import io.javalin.http.Context;

/** The headers every answer carries, set before any route runs. */
final class SecurityHeaders {
    private SecurityHeaders() {
    }

    /** CSP without inline script, no framing, no sniffing, no referrer leaving the console. */
    static void set(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        if (!ctx.path().startsWith("/static/") && !ctx.path().startsWith("/webjars/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }
}
