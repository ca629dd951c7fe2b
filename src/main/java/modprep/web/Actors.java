package modprep.web;

import io.javalin.http.Context;

/** Who is acting through the console or the API, for refusals and audit. */
final class Actors {
    static final String ATTRIBUTE = "modprep.user";
    static final String USER_ATTRIBUTE = "modprep.signed-in";

    private Actors() {
    }

    /** The signed-in user, for the layout (their name, whether they may act). */
    static modprep.access.User user(Context ctx) {
        return ctx.attribute(USER_ATTRIBUTE);
    }

    static modprep.access.Audit.Actor actor(Context ctx) {
        return new modprep.access.Audit.Actor(of(ctx), ctx.ip());
    }

    static String of(Context ctx) {
        Object user = ctx.attribute(ATTRIBUTE);
        return user == null ? "console" : user.toString();
    }
}
