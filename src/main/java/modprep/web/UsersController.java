package modprep.web;

import io.javalin.http.Context;
import modprep.ModprepException;

/** Users and their roles; an administrator creates API tokens here (shown once). */
final class UsersController {
    private final Pages pages;

    UsersController(Pages pages) {
        this.pages = pages;
    }

    void list(Context ctx) {
        var model = pages.model(ctx, "users", "Users");
        model.put("users", pages.app().accounts().list());
        model.put("newToken", ctx.consumeSessionAttribute("newToken"));
        pages.render(ctx, "users", model);
    }

    void createToken(Context ctx) {
        String user = ctx.formParam("user");
        String name = ctx.formParam("name");
        try {
            String token = pages.audited(ctx, "token-create", user + " / " + name,
                    () -> pages.app().accounts().createToken(user, name, Actors.of(ctx)));
            ctx.sessionAttribute("newToken", token);
            Pages.flash(ctx, "success", "Created API token '" + name + "' for " + user + ". Copy it now: it is not shown again.");
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
        }
        ctx.redirect("/users");
    }
}
