package modprep.web;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.util.Locale;
import java.util.Map;
import modprep.Json;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.readmodel.ModuleReports;
import modprep.readmodel.RunQueries;
import modprep.readmodel.StatusBoard;

/** The console and its JSON API, built on one {@link Modprep}: every route in one table. */
public final class WebApp {
    private final Modprep app;
    private final Runnable wakeWorker;
    private final java.util.function.BooleanSupplier workerAlive;

    /** @param wakeWorker tells this process's worker that a run was just started */
    public WebApp(Modprep app, Runnable wakeWorker) {
        this(app, wakeWorker, () -> true);
    }

    /** @param workerAlive whether this process's worker works, for GET /health */
    public WebApp(Modprep app, Runnable wakeWorker, java.util.function.BooleanSupplier workerAlive) {
        this.app = app;
        this.wakeWorker = wakeWorker;
        this.workerAlive = workerAlive;
    }

    public Javalin create() {
        var views = new Views();
        var board = new StatusBoard(app.database());
        var state = new RequestState(board);
        var regions = new Regions(board);
        var insights = new modprep.insight.Insights(app.database(), board);
        var chrome = new Chrome(views, board, insights);
        var pages = new Pages(views, state, insights, chrome, regions);
        var dsl = app.database().dsl();
        var reports = new ModuleReports(dsl);
        var runs = new RunQueries(dsl);
        var publisher = app.publisher();
        var auditLog = app.audit();
        java.util.function.UnaryOperator<java.util.Set<String>> storedSessions = ids -> ConsoleSessions.stored(dsl, ids);
        var live = new LiveUpdates(chrome, board, app.accounts(), storedSessions).start();
        var overview = new OverviewController(pages, state);
        var pictures = new PicturePages(new modprep.readmodel.PictureQueries(dsl), board, pages, app.clock());
        var deploymentQueries = new modprep.readmodel.DeploymentQueries(dsl);
        var modules = new ModulesController(pages, state, regions, reports, pictures, deploymentQueries);
        var moduleActions = new ModuleActions(publisher, app.operations(), app.uploader(), auditLog);
        var applications = new ApplicationsController(pages, state, regions, publisher, auditLog);
        var runPages = new RunPages(pages, state, regions, runs, pictures);
        var upgrades = new UpgradesController(pages, state, regions, runPages, runs, deploymentQueries, app.preparations(), publisher,
                app.catalog(), auditLog, wakeWorker);
        var api = new ApiController(state, runPages, reports, insights);
        var deploymentActions = new DeploymentActions(app.deployments(), app.rollbacks(), auditLog, wakeWorker);
        var deploymentApi = new DeploymentApi(deploymentActions, deploymentQueries);
        var deploymentPages = new DeploymentPages(pages, state, deploymentActions, deploymentQueries);
        var priorities = new PriorityActions(app.preparations(), auditLog, wakeWorker);
        var apiActions = new ApiActions(app.preparations(), publisher, app.operations(), auditLog, wakeWorker);
        var signIn = new SignInController(app.accounts(), auditLog, views, new SignInTokens(modprep.access.ConsoleKey.signInForm(app.database())));
        var audit = new AuditController(pages, state, regions, auditLog);
        var users = new UsersController(pages, app.accounts(), app.tokens(), auditLog);
        var settings = new SettingsController(pages, app.installationSettings(), auditLog);
        var metrics = new MetricsController(app.meters(), new modprep.readmodel.MonitoringQueries(dsl), app.database(), board);
        var health = new HealthController(app.database(), workerAlive);
        var notifications = new NotificationsController(pages, app.notifications().webhooks(), auditLog);
        var nodes = new NodesController(pages, new modprep.readmodel.NodeQueries(dsl), () -> app.installationSettings().values().leaseTimeout());
        var access = new AccessControl(app.accounts(), app.tokens(), auditLog, pages, storedSessions);
        var proxies = new TrustedProxies(() -> app.installationSettings().values().trustedProxies(), System::nanoTime);
        var javalin = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            // The client's address and scheme as a trusted reverse proxy gives them, for ctx.ip() and isSecure().
            cfg.jetty.modifyHttpConfiguration(http -> http.addCustomizer(new ForwardedClients(proxies)));
            // Sessions in the database: any node serves any request, a restart signs nobody out.
            cfg.jetty.modifyServer(ConsoleSessions::scavenge);
            cfg.jetty.modifyServletContextHandler(handler -> ConsoleSessions.configure(handler.getSessionHandler(), app.database().dataSource()));
            UploadLimits.configure(cfg.jetty.multipartConfig);
            cfg.routes.before(RequestIds::begin); // first: every line of the request, even a refusal's, names it
            cfg.routes.before(access);
            cfg.requestLogger.http((ctx, millis) -> {
                metrics.record(ctx, millis);
                RequestIds.end(ctx, millis);
            });
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.staticFiles.enableWebjars();
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/static";
                files.location = Location.CLASSPATH;
            });
            cfg.routes.get("/health", health::health);
            cfg.routes.get("/metrics", metrics::scrape);
            cfg.routes.get("/signin", signIn::form);
            cfg.routes.post("/signin", signIn::signIn);
            cfg.routes.post("/signout", signIn::signOut);
            cfg.routes.get("/audit", audit::list);
            cfg.routes.get("/users", users::list);
            cfg.routes.post("/users/tokens", users::createToken);
            cfg.routes.post("/users/tokens/{id}/revoke", users::revokeToken);
            cfg.routes.post("/users/{name}/disable", users::disable);
            cfg.routes.post("/users/{name}/enable", users::enable);
            cfg.routes.get("/settings", settings::show);
            cfg.routes.post("/settings", settings::change);
            cfg.routes.get("/notifications", notifications::page);
            cfg.routes.get("/nodes", nodes::page);
            cfg.routes.post("/notifications/hooks", notifications::add);
            cfg.routes.post("/notifications/hooks/{id}/rotate", notifications::rotate);
            cfg.routes.post("/notifications/hooks/{id}/delete", notifications::remove);
            cfg.routes.get("/", overview::overview);
            cfg.routes.get("/modules", modules::list);
            cfg.routes.post("/modules/upload", moduleActions::upload);
            cfg.routes.get("/modules/{name}", modules::show);
            cfg.routes.post("/modules/{name}/publish", moduleActions::publish);
            cfg.routes.post("/modules/{name}/configurations", moduleActions::applyConfigurations);
            cfg.routes.post("/modules/{name}/delete", moduleActions::delete);
            cfg.routes.post("/modules/{name}/upload", moduleActions::upload);
            cfg.routes.get("/applications", applications::list);
            cfg.routes.get("/applications/{name}", applications::show);
            cfg.routes.post("/applications/{name}/publish", applications::publish);
            cfg.routes.post("/modules/{name}/prioritise", priorities::module);
            cfg.routes.post("/applications/{name}/prioritise", priorities::application);
            cfg.routes.get("/upgrades", upgrades::upgrades);
            cfg.routes.post("/upgrades/upgrade", upgrades::upgrade);
            cfg.routes.post("/upgrades/prepare", upgrades::prepare);
            cfg.routes.post("/upgrades/publish-all", upgrades::publishAll);
            cfg.routes.get("/deployments/preview", deploymentPages::preview);
            cfg.routes.post("/upgrades/deploy", deploymentPages::deploy);
            cfg.routes.get("/deployments/{id}", deploymentPages::show);
            cfg.routes.post("/deployments/{id}/rollback", deploymentPages::rollback);
            cfg.routes.get("/preparations/current", upgrades::current);
            cfg.routes.get("/preparations/{id}", upgrades::preparation);
            cfg.routes.get("/PrepareModules", upgrades::latestReport);
            cfg.routes.sse("/events", live::subscribe);

            cfg.routes.get("/api/status", api::status);
            cfg.routes.get("/api/nodes", nodes::api);
            cfg.routes.get("/api/preparations", api::preparations);
            cfg.routes.get("/api/preparations/{id}", api::preparation);
            cfg.routes.get("/api/modules", api::modules);
            cfg.routes.get("/api/modules/{name}", api::module);
            cfg.routes.get("/api/insight", api::insight);
            cfg.routes.post("/api/upgrade", apiActions::upgrade);
            cfg.routes.post("/api/prepare", apiActions::prepare);
            cfg.routes.post("/api/modules/{name}/publish", apiActions::publish);
            cfg.routes.post("/api/modules/{name}/configurations", apiActions::configurations);
            cfg.routes.delete("/api/modules/{name}", apiActions::delete);
            cfg.routes.get("/api/deployments/preview", deploymentApi::preview);
            cfg.routes.post("/api/deploy", deploymentApi::deploy);
            cfg.routes.get("/api/deployments", deploymentApi::all);
            cfg.routes.get("/api/deployments/{id}", deploymentApi::one);
            cfg.routes.post("/api/deployments/{id}/rollback", deploymentApi::rollback);
            cfg.routes.post("/api/modules/{name}/prioritise", priorities::apiModule);
            cfg.routes.post("/api/applications/{name}/prioritise", priorities::apiApplication);

            cfg.routes.exception(ModprepException.class, (e, ctx) -> answer(ctx, pages, e));
            // An Error a request ran into: out of memory ends the process (OutOfMemory), anything else is answered 500.
            cfg.router.javaLangErrorHandler((response, error) -> {
                modprep.db.OutOfMemory.endIfIn(error);
                org.slf4j.LoggerFactory.getLogger(WebApp.class).error("internal error answering a request", error);
                response.setStatus(500);
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                modprep.db.OutOfMemory.endIfIn(e);
                if (app.database().unavailable(e)) {
                    DatabaseOutage.answer(ctx, pages); // the outage is logged once, where it is found, not per request
                } else {
                    failed(ctx, pages, e);
                }
            });
            // A path or query parameter of the wrong type (/api/preparations/abc, ?page=two).
            cfg.routes.exception(io.javalin.validation.ValidationException.class, (e, ctx) -> answer(ctx, pages, invalid(e)));
            cfg.routes.exception(io.javalin.router.EndpointNotFound.class, (e, ctx) -> answer(ctx, pages,
                    ModprepException.notFound((ctx.path().startsWith("/api/") ? "no such API endpoint: " : "no such page: ")
                            + ctx.method() + " " + modprep.environment.Names.abbreviate(ctx.path()))));
            cfg.events.serverStopping(live::close);
            cfg.events.serverStopped(() -> {
                metrics.close();
                health.close();
            });
        });
        return javalin;
    }

    /**
     * Anything else (a bug; a database server not answering is {@link DatabaseOutage}): the stack trace goes to
     * the log, on a line with the request's id, and the person sees only that id, to report it. A bare page: the
     * layout may be what failed.
     */
    private static void failed(io.javalin.http.Context ctx, Pages pages, Exception e) {
        org.slf4j.LoggerFactory.getLogger(WebApp.class).error("internal error answering {} {}", ctx.method(),
                modprep.environment.Names.abbreviate(ctx.path()), e);
        String id = RequestIds.of(ctx);
        ctx.status(500);
        if (ctx.path().startsWith("/api/")) {
            ctx.json(Map.of("error", "internal", "message", "an internal error; the server's log has it under request id " + id));
        } else {
            var model = new java.util.HashMap<String, Object>(Map.of("title", "Something went wrong"));
            model.put("requestId", id);
            ctx.html(pages.alone("bare-error", model));
        }
    }

    /** Which parameter had which value that is not of its type. */
    private static ModprepException invalid(io.javalin.validation.ValidationException e) {
        var problems = new java.util.ArrayList<String>();
        e.getErrors().forEach((parameter, errors) -> problems.add("'" + modprep.environment.Names.abbreviate(
                errors.isEmpty() ? "" : String.valueOf(errors.get(0).value)) + "' is not a valid " + parameter));
        return ModprepException.badInput(String.join("; ", problems));
    }

    /** The API's name for a kind of refusal: bad_input, not_found, refused. */
    static String errorCode(ModprepException.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** A request modprep will not carry out: {@code {error, message}} for the API, the error page for a page. */
    private static void answer(io.javalin.http.Context ctx, Pages pages, ModprepException e) {
        int status = switch (e.kind()) {
            case BAD_INPUT -> 400;
            case NOT_FOUND -> 404;
            case REFUSED -> 409;
        };
        if (ctx.path().startsWith("/api/")) {
            ctx.status(status).json(Map.of("error", errorCode(e.kind()), "message", e.getMessage()));
        } else if (Actors.user(ctx) == null) {
            // Signed out (a missing file under /static or /webjars): nothing about the environment, and no session.
            var model = new java.util.HashMap<String, Object>(Map.of("title", status == 404 ? "Not found" : "Refused"));
            model.put("requestId", RequestIds.of(ctx));
            ctx.status(status).html(pages.alone("bare-error", model));
        } else {
            var model = pages.model(ctx);
            model.put("status", status);
            model.put("message", e.getMessage());
            ctx.status(status);
            pages.render(ctx, "error", model);
        }
    }
}
