package modprep.web;

import io.javalin.http.Context;
import modprep.ModprepException;
import modprep.access.Audit;
import modprep.access.UserAccounts;

/** Users and their roles; an administrator creates API tokens here (shown once). */
final class UsersController {
    private final Pages pages;
    private final UserAccounts accounts;
    private final Audit audit;

    UsersController(Pages pages, UserAccounts accounts, Audit audit) {
        this.pages = pages;
        this.accounts = accounts;
        this.audit = audit;
    }

    void list(Context ctx) {
        var model = pages.model(ctx);
        model.put("users", accounts.list());
        model.put("newToken", ctx.consumeSessionAttribute("newToken"));
        pages.render(ctx, "users", model);
    }

    void createToken(Context ctx) {
        String user = ctx.formParam("user");
        String name = ctx.formParam("name");
        try {
            String token = audit.record(Actors.actor(ctx), "token-create", user + " / " + name,
                    () -> accounts.createToken(user, name, Actors.of(ctx)));
            ctx.sessionAttribute("newToken", token);
            Pages.flash(ctx, "success", "Created API token '" + name + "' for " + user + ". Copy it now: it is not shown again.");
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
        }
        ctx.redirect("/users");
    }
}
