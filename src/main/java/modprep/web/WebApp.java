package modprep.web;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import modprep.Json;
import modprep.Modprep;
import modprep.ModprepException;

/** The console and its JSON API, built on one {@link Modprep}. */
public final class WebApp {
    private final Modprep app;

    public WebApp(Modprep app) {
        this.app = app;
    }

    public Javalin create() {
        var pages = new EnvironmentPages(app);
        var api = new ApiController(app);
        return Javalin.create(cfg -> {
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.staticFiles.enableWebjars();
            cfg.routes.get("/", pages::overview);
            cfg.routes.get("/api/status", api::status);
            cfg.routes.exception(ModprepException.class, (e, ctx) -> {
                ctx.status(switch (e.kind()) {
                    case BAD_INPUT -> 400;
                    case NOT_FOUND -> 404;
                    case REFUSED -> 409;
                });
                ctx.json(java.util.Map.of("error", e.kind().name().toLowerCase(java.util.Locale.ROOT), "message", e.getMessage()));
            });
        });
    }
}
