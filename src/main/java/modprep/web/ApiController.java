package modprep.web;

import io.javalin.http.Context;
import modprep.Modprep;
import modprep.preparation.RunQueries;

/** The JSON API beside the pages, for scripts. */
final class ApiController {
    private final Modprep app;

    ApiController(Modprep app) {
        this.app = app;
    }

    void status(Context ctx) {
        var run = new RunQueries(app.database().dsl()).latest(true);
        if (run == null) {
            ctx.json(java.util.Map.of());
        } else {
            ctx.json(run);
        }
    }
}
