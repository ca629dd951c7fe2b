package modprep.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import modprep.access.ApiTokens;
import modprep.access.Audit;
import modprep.access.AuditOutcome;
import modprep.access.User;
import modprep.access.UserAccounts;

/**
 * Who may do what, before any route runs: pages need a signed-in session, the JSON API HTTP Basic or
 * an API token (and no cookie), viewers may only read, and every form POST must carry the session's
 * CSRF token. Sets the security headers ({@link SecurityHeaders}) on every response.
 */
final class AccessControl implements Handler {
    static final String SESSION_USER = "user";
    static final String SESSION_CSRF = "csrf";

    private final UserAccounts accounts;
    private final ApiTokens tokens;
    private final Audit audit;
    private final Pages pages;
    private final ApiCredentials credentials;

    /** Of some session ids, those stored (signed in on some node). */
    private final java.util.function.UnaryOperator<java.util.Set<String>> storedSessions;

    AccessControl(UserAccounts accounts, ApiTokens tokens, Audit audit, Pages pages,
                  java.util.function.UnaryOperator<java.util.Set<String>> storedSessions) {
        this.storedSessions = storedSessions;
        this.accounts = accounts;
        this.tokens = tokens;
        this.audit = audit;
        this.pages = pages;
        this.credentials = new ApiCredentials(accounts, tokens, audit);
    }

    @Override
    public void handle(Context ctx) {
        SecurityHeaders.set(ctx);
        String path = ctx.path();
        if (path.startsWith("/static/") || path.startsWith("/webjars/") || path.equals("/signin") || path.equals("/health")) {
            return;
        }
        if (path.equals("/metrics")) {
            scraper(ctx);
            return;
        }
        if (path.startsWith("/api/")) {
            api(ctx);
        } else {
            page(ctx);
        }
    }

    private void page(Context ctx) {
        User user = signedIn(ctx);
        if (user == null && sessionUnreadable(ctx)) {
            ctx.header("Retry-After", "1");
            ctx.status(503).result("The console could not read your session just now (the database is busy): try again in a moment.");
            ctx.skipRemainingHandlers();
            return;
        }
        if (user == null) {
            if (ctx.method().name().equals("GET") && !ctx.path().equals("/events")) {
                String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
                ctx.redirect("/signin?next=" + java.net.URLEncoder.encode(ctx.path() + query, StandardCharsets.UTF_8));
            } else {
                ctx.status(401).result("Sign in first.");
            }
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.attribute(Actors.ATTRIBUTE, user.name());
        ctx.attribute(Actors.USER_ATTRIBUTE, user);
        if (ApiRequestRules.isRead(ctx)) {
            return;
        }
        var actor = new Audit.Actor(user.name(), ctx.ip());
        // The role first: the CSRF token of an upload is in its body, which a viewer's request must not get to send.
        if (!user.isAdministrator() && !ctx.path().equals("/signout")) {
            audit.write(actor, "role-check", ctx.method() + " " + ctx.path(), AuditOutcome.REFUSED, "viewers cannot change anything");
            refuse(ctx, 403, "You are signed in as " + user.name() + ", a viewer: viewers see everything and change nothing. "
                    + "Ask an administrator to do this. Nothing was changed.");
            return;
        }
        if (UploadLimits.announcedTooLarge(ctx)) {
            UploadLimits.drainIfModest(ctx);
            refuse(ctx, 413, UploadLimits.TOO_LARGE);
            return;
        }
        String expected = ctx.sessionAttribute(SESSION_CSRF);
        String given;
        try {
            given = ctx.formParam("csrf");
        } catch (Exception unreadable) { // Jetty's ServletException too, which Javalin lets through unchecked
            // A multipart body past the limits (sent without announcing its size), or not a multipart body at all.
            boolean tooLarge = UploadLimits.isMultipart(ctx) && UploadLimits.overLimit(unreadable);
            refuse(ctx, tooLarge ? 413 : 400, tooLarge ? UploadLimits.TOO_LARGE : "This form could not be read: nothing was changed.");
            return;
        }
        if (expected == null || given == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8))) {
            audit.write(actor, "csrf-check", ctx.method() + " " + ctx.path(), AuditOutcome.REFUSED, "missing or wrong CSRF token");
            refuse(ctx, 403, "This form did not come from this console, or it expired (its CSRF token is missing or wrong): "
                    + "nothing was changed. Reload the page and try again.");
        }
    }

    /**
     * The session's user, read afresh: a session whose user was since disabled, removed or given a new
     * password is ended here, on whichever node the request reaches.
     */
    private User signedIn(Context ctx) {
        User known = ctx.sessionAttribute(SESSION_USER);
        if (known == null) {
            return null;
        }
        User user = accounts.current(known);
        if (user == null) {
            ctx.req().getSession().invalidate();
        }
        return user;
    }

    /**
     * A session cookie without a session, though its row is stored: reading it failed (a busy pool, a
     * database hiccup), which is not a sign-out. A database that is down fails this check itself, and
     * the request answers 500 with its id, as any page would.
     */
    private boolean sessionUnreadable(Context ctx) {
        String requested = ctx.req().getRequestedSessionId();
        return requested != null && !ctx.req().isRequestedSessionIdValid()
                && !storedSessions.apply(java.util.Set.of(ConsoleSessions.idOf(requested))).isEmpty();
    }

    private void api(Context ctx) {
        User user;
        try {
            user = credentials.user(ctx);
        } catch (UserAccounts.SignInRefused busy) {
            ctx.header("Retry-After", "1");
            ctx.status(503).json(Map.of("error", "busy", "message", busy.getMessage()));
            ctx.skipRemainingHandlers();
            return;
        }
        if (user == null) {
            // Not Basic: a browser would ask for a password and keep sending it, to pages of other sites too.
            ctx.header("WWW-Authenticate", "Bearer realm=\"modprep\"");
            ctx.status(401).json(Map.of("error", "unauthorized",
                    "message", "authenticate with HTTP Basic (a modprep user) or an API token (Authorization: Bearer mp_…)"));
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.attribute(Actors.ATTRIBUTE, user.name());
        ctx.attribute(Actors.USER_ATTRIBUTE, user);
        var refusal = ApiRequestRules.check(ctx);
        if (refusal != null) {
            if (refusal.status() == 403) {
                audit.write(new Audit.Actor(user.name(), ctx.ip()), "cross-site-check", ctx.method() + " " + ctx.path(), AuditOutcome.REFUSED,
                        "Origin " + ctx.header("Origin") + ", Sec-Fetch-Site " + ctx.header("Sec-Fetch-Site"));
            }
            ctx.status(refusal.status()).json(refusal.body());
            ctx.skipRemainingHandlers();
            return;
        }
        if (!ApiRequestRules.isRead(ctx) && !user.isAdministrator()) {
            audit.write(new Audit.Actor(user.name(), ctx.ip()), "role-check", ctx.method() + " " + ctx.path(), AuditOutcome.REFUSED,
                    "viewers cannot change anything");
            ctx.status(403).json(Map.of("error", "forbidden", "message", user.name() + " is a viewer: viewers can read but not change"));
            ctx.skipRemainingHandlers();
        }
    }

    /** GET /metrics takes a metrics token (modprep user token --metrics), and nothing else: no session, no password. */
    private void scraper(Context ctx) {
        String header = ctx.header("Authorization");
        var user = header == null || !header.startsWith("Bearer ") ? null
                : tokens.user(header.substring("Bearer ".length()).strip(), modprep.access.TokenScope.METRICS);
        if (user == null) {
            if (header != null) {
                audit.refusedSignedOut(new Audit.Actor("(unknown)", ctx.ip()), "sign-in", "metrics token", "unknown metrics token, on GET /metrics");
            }
            ctx.header("WWW-Authenticate", "Bearer realm=\"modprep metrics\"");
            ctx.status(401).result("GET /metrics takes a metrics token: Authorization: Bearer mp_… (modprep user token NAME --name LABEL --metrics)");
            ctx.skipRemainingHandlers();
        }
    }

    private void refuse(Context ctx, int status, String message) {
        var model = pages.model(ctx);
        model.put("status", status);
        model.put("message", message);
        ctx.status(status);
        pages.render(ctx, "error", model);
        ctx.skipRemainingHandlers();
    }
}
