package modprep.web;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import modprep.access.Audit;
import modprep.access.AuditOutcome;
import modprep.access.UserAccounts;

/**
 * Signing in and out of the console: a session only from a successful sign-in (the form's own CSRF token
 * needs none, see {@link SignInTokens}), a new session id then, and a CSRF token per session.
 */
final class SignInController {
    private final UserAccounts accounts;
    private final Audit audit;
    private final Views views;
    private final SignInTokens tokens;

    SignInController(UserAccounts accounts, Audit audit, Views views, SignInTokens tokens) {
        this.accounts = accounts;
        this.audit = audit;
        this.views = views;
        this.tokens = tokens;
    }

    void form(Context ctx) {
        if (ctx.sessionAttribute(AccessControl.SESSION_USER) != null) {
            ctx.redirect(next(ctx.queryParam("next")));
            return;
        }
        render(ctx, null, "");
    }

    void signIn(Context ctx) {
        String name = ctx.formParam("name");
        var actor = new Audit.Actor(name == null || name.isBlank() ? "(unknown)" : name, ctx.ip());
        if (!tokens.valid(ctx, ctx.formParam("csrf"))) {
            audit.refusedSignedOut(actor, "sign-in", name, "missing or wrong CSRF token");
            ctx.status(403);
            render(ctx, "This sign-in form expired or did not come from this console. Please sign in again.", name);
            return;
        }
        try {
            var user = accounts.signIn(name, ctx.formParam("password"), ctx.ip());
            // A new session at sign-in: a session id known before signing in is worth nothing after.
            var before = ctx.req().getSession(false);
            if (before != null) {
                before.invalidate();
            }
            ctx.req().getSession(true);
            SignInTokens.clear(ctx);
            ctx.sessionAttribute(AccessControl.SESSION_USER, user);
            ctx.sessionAttribute(AccessControl.SESSION_CSRF, newToken());
            audit.write(new Audit.Actor(user.name(), ctx.ip()), "sign-in", user.name(), AuditOutcome.SUCCEEDED, user.role().id());
            ctx.redirect(next(ctx.formParam("next")));
        } catch (UserAccounts.SignInRefused e) {
            audit.refusedSignedOut(actor, "sign-in", name, e.getMessage());
            ctx.status(e.busy() ? 503 : 401);
            render(ctx, e.getMessage(), name);
        }
    }

    void signOut(Context ctx) {
        audit.write(Actors.actor(ctx), "sign-out", Actors.of(ctx), AuditOutcome.SUCCEEDED, null);
        ctx.req().getSession().invalidate();
        ctx.redirect("/signin");
    }

    private void render(Context ctx, String error, String name) {
        String token = tokens.issue(ctx);
        var model = new HashMap<String, Object>();
        model.put("csrf", token);
        model.put("error", error);
        model.put("name", name == null ? "" : name);
        model.put("next", ctx.formParam("next") != null ? ctx.formParam("next") : ctx.queryParamAsClass("next", String.class).getOrDefault("/"));
        ctx.html(views.render("signin", model));
    }

    /**
     * Only a path of this console: never another site (no open redirect). Browsers drop tabs and newlines
     * from a URL and read a backslash as a slash, so "/\t/evil.example" is "//evil.example": a path holds
     * no control character, space or backslash.
     */
    static String next(String next) {
        return next != null && next.startsWith("/") && !next.startsWith("//") && SAFE_PATH.matcher(next).matches() ? next : "/";
    }

    private static final java.util.regex.Pattern SAFE_PATH = java.util.regex.Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/?#-]*");

    static String newToken() {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
