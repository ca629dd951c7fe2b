package modprep.web;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import modprep.ModprepException;
import modprep.access.Audit;
import modprep.environment.Publisher;
import modprep.readmodel.Board;

/** Factory › Applications (U7): each application's modules and whether it is ready to publish. */
final class ApplicationsController {
    private final Pages pages;
    private final RequestState state;
    private final Regions regions;
    private final Publisher publisher;
    private final Audit audit;

    ApplicationsController(Pages pages, RequestState state, Regions regions, Publisher publisher, Audit audit) {
        this.pages = pages;
        this.state = state;
        this.regions = regions;
        this.publisher = publisher;
        this.audit = audit;
    }

    /**
     * An application and what keeps it from being published, if anything; when it can be (I2), and
     * what its team can publish now.
     */
    record ApplicationRow(String name, int modules, int published, boolean ready, String readiness, String publishable,
                          String canPublishNow) {
    }

    void list(Context ctx) {
        String q = ctx.queryParamAsClass("q", String.class).getOrDefault("").strip().toLowerCase(Locale.ROOT);
        String readiness = ctx.queryParamAsClass("ready", String.class).getOrDefault("");
        int page = ctx.queryParamAsClass("page", Integer.class).getOrDefault(1);
        var current = state.board(ctx);
        var rows = applications(current).stream()
                .filter(a -> q.isEmpty() || a.name().toLowerCase(Locale.ROOT).contains(q))
                .filter(a -> readiness.isEmpty() || (readiness.equals("yes") == a.ready()))
                .toList();
        var applications = Paging.of(rows, page);
        // The count and the table (the page's live region): once per board and query.
        Html listHtml = regions.of(current, String.join("\u0000", "applications", String.valueOf(page), readiness, q), () -> {
            var list = new HashMap<String, Object>();
            list.put("applications", applications);
            return pages.fragment("applications", "live-applications", list);
        });
        var model = pages.model(ctx);
        model.put("applications", applications);
        model.put("q", q);
        model.put("ready", readiness);
        model.put("listHtml", listHtml);
        pages.renderShared(ctx, "applications", model, false);
    }

    void show(Context ctx) {
        String name = ctx.pathParam("name");
        var current = state.board(ctx);
        var row = applications(current).stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> ModprepException.notFound("no application named " + modprep.environment.Names.abbreviate(name)));
        var model = pages.model(ctx);
        model.put("application", row);
        model.put("modules", ModuleRows.of(current, "", "", name));
        pages.render(ctx, "application", model);
    }

    void publish(Context ctx) {
        String name = ctx.pathParam("name");
        var names = ModuleRows.of(state.board(ctx), "", "", name).stream().map(ModuleRow::name).toList();
        try {
            if (names.isEmpty()) {
                throw ModprepException.notFound("no application named " + modprep.environment.Names.abbreviate(name));
            }
            audit.record(Actors.actor(ctx), "publish-application", name, () -> {
                var report = publisher.publish(names, Actors.of(ctx));
                long published = report.results().stream().filter(r -> r.status() == Publisher.Status.PUBLISHED).count();
                var problems = report.results().stream().filter(r -> r.status() != Publisher.Status.PUBLISHED)
                        .map(r -> r.module() + ": " + r.detail()).toList();
                String message = "Published " + published + " of " + names.size() + " modules of " + name + " with "
                        + report.version() + "." + (problems.isEmpty() ? "" : "\n" + String.join("\n", problems));
                Pages.flash(ctx, problems.isEmpty() ? "success" : "danger", message);
                return problems.isEmpty() ? Audit.Outcome.succeeded(message) : Audit.Outcome.failed(message);
            });
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
        }
        // One path segment: URLEncoder's '+' for a space would be a plus in a path ("My+Shop", no such application).
        ctx.redirect("/applications/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** Every application's row, made once per board. */
    private List<ApplicationRow> applications(Board current) {
        return current.memo("application-rows", () -> applicationRows(current,
                pages.insights().applications(current, pages.insights().eta(current.stamp()))));
    }

    private static List<ApplicationRow> applicationRows(Board current, java.util.Map<String, modprep.insight.Applications.Row> insight) {
        var byApplication = new LinkedHashMap<String, List<String>>();
        current.snapshot().modules().values().forEach(m ->
                byApplication.computeIfAbsent(m.application(), k -> new ArrayList<>()).add(m.name()));
        var rows = new ArrayList<ApplicationRow>();
        byApplication.forEach((application, names) -> {
            int published = (int) names.stream().filter(n -> current.snapshot().module(n).published()).count();
            var waiting = names.stream().filter(n -> !current.statuses().get(n).status().publishable()).sorted().toList();
            String readiness = waiting.isEmpty() ? "Ready to publish"
                    : "Not ready: " + waiting.size() + (waiting.size() == 1 ? " module is" : " modules are") + " not prepared ("
                    + String.join(", ", waiting.subList(0, Math.min(3, waiting.size()))) + (waiting.size() > 3 ? ", …" : "") + ")";
            var when = insight.get(application);
            rows.add(new ApplicationRow(application, names.size(), published, waiting.isEmpty(), readiness, when.publishable().text(),
                    when.canPublishNow()));
        });
        rows.sort(Comparator.comparing(ApplicationRow::name));
        return List.copyOf(rows);
    }
}
