package modprep.web;

import io.javalin.http.Context;

/** Who is acting through the console or the API, for refusals and audit. */
final class Actors {
    static final String ATTRIBUTE = "modprep.user";

    private Actors() {
    }

    static String of(Context ctx) {
        Object user = ctx.attribute(ATTRIBUTE);
        return user == null ? "console" : user.toString();
    }
}
