package modprep.web;

import io.javalin.http.Context;
import java.time.Duration;
import modprep.ModprepException;
import modprep.access.ApiTokens;
import modprep.access.Audit;
import modprep.access.UserAccounts;

/**
 * Users, their roles and their API tokens. An administrator creates tokens here (shown once), revokes
 * them, and disables or enables users; adding users and passwords stay on the command line.
 */
final class UsersController {
    private final Pages pages;
    private final UserAccounts accounts;
    private final ApiTokens tokens;
    private final Audit audit;

    UsersController(Pages pages, UserAccounts accounts, ApiTokens tokens, Audit audit) {
        this.pages = pages;
        this.accounts = accounts;
        this.tokens = tokens;
        this.audit = audit;
    }

    void list(Context ctx) {
        var model = pages.model(ctx);
        model.put("users", accounts.list());
        model.put("tokens", tokens.list());
        model.put("newToken", ctx.consumeSessionAttribute("newToken"));
        pages.render(ctx, "users", model);
    }

    void createToken(Context ctx) {
        String user = ctx.formParam("user");
        String name = ctx.formParam("name");
        act(ctx, () -> {
            long days = days(ctx.formParam("days"));
            String token = audit.record(Actors.actor(ctx), "token-create", user + " / " + name + " (" + days + " days)",
                    () -> tokens.create(user, name, Actors.of(ctx), Duration.ofDays(days)));
            ctx.sessionAttribute("newToken", token);
            return "Created API token '" + name + "' for " + user + ", valid " + days + " days. Copy it now: it is not shown again.";
        });
    }

    void revokeToken(Context ctx) {
        act(ctx, () -> {
            long id = ctx.pathParamAsClass("id", Long.class).get();
            String name = audit.record(Actors.actor(ctx), "token-revoke", "#" + id, () -> tokens.revoke(id, Actors.of(ctx)));
            return "Revoked API token #" + id + " (" + name + "): it is refused from now on.";
        });
    }

    void disable(Context ctx) {
        String name = ctx.pathParam("name");
        act(ctx, () -> {
            audit.record(Actors.actor(ctx), "user-disable", name, () -> {
                accounts.disable(name);
                return null;
            });
            return "Disabled " + name + ": their sessions, live pages and API tokens stopped working.";
        });
    }

    void enable(Context ctx) {
        String name = ctx.pathParam("name");
        act(ctx, () -> {
            audit.record(Actors.actor(ctx), "user-enable", name, () -> {
                accounts.enable(name);
                return null;
            });
            return "Enabled " + name + ": they can sign in again (their API tokens work again unless expired or revoked).";
        });
    }

    /** Does an action, flashes what it did or why it was refused, and goes back to the Users page. */
    private static void act(Context ctx, java.util.function.Supplier<String> action) {
        try {
            Pages.flash(ctx, "success", action.get());
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
        }
        ctx.redirect("/users");
    }

    private static long days(String given) {
        try {
            return given == null || given.isBlank() ? ApiTokens.DEFAULT_LIFETIME.toDays() : Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            throw ModprepException.badInput("'" + modprep.environment.Names.abbreviate(given) + "' is not a number of days");
        }
    }
}
