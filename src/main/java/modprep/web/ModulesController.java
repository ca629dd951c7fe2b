package modprep.web;

import io.javalin.http.Context;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import modprep.ModprepException;
import modprep.access.Audit;
import modprep.environment.Names;
import modprep.preparation.ModuleReport;
import modprep.preparation.ModuleReports;
import modprep.preparation.StatusBoard;

/** Factory › Modules (U7) and the module page (U6), with Publish, Apply configurations, Delete and Upload. */
final class ModulesController {
    private final Pages pages;
    private final StatusBoard board;

    ModulesController(Pages pages, StatusBoard board) {
        this.pages = pages;
        this.board = board;
    }

    void list(Context ctx) {
        String q = ctx.queryParamAsClass("q", String.class).getOrDefault("").strip();
        String status = ctx.queryParamAsClass("status", String.class).getOrDefault("");
        int page = ctx.queryParamAsClass("page", Integer.class).getOrDefault(1);
        var model = pages.model(ctx, "modules", "Modules");
        model.put("modules", Paging.of(rows(q, status, null), page));
        model.put("q", q);
        model.put("status", status);
        model.put("filters", StatusLabels.FILTERS);
        pages.render(ctx, "modules", model);
    }

    /** Modules matching a search and a status filter, by name; for one application when given. */
    List<ModuleRow> rows(String q, String status, String application) {
        var current = board.current();
        String needle = q == null ? "" : q.toLowerCase(Locale.ROOT);
        var rows = new ArrayList<ModuleRow>();
        for (var module : current.snapshot().modules().values()) {
            var s = current.statuses().get(module.name());
            boolean found = needle.isEmpty() || module.name().toLowerCase(Locale.ROOT).contains(needle)
                    || module.application().toLowerCase(Locale.ROOT).contains(needle);
            if (found && StatusLabels.matches(status, s.code()) && (application == null || application.equals(module.application()))) {
                rows.add(row(module.name(), module.application(), module.published(), s, module.runningVersion()));
            }
        }
        rows.sort(Comparator.comparing(ModuleRow::name));
        return rows;
    }

    static ModuleRow row(String name, String application, boolean published, ModuleReport.Status s, String running) {
        return new ModuleRow(name, application, published ? "published" : "uploaded", s.code(), StatusLabels.label(s),
                StatusLabels.badge(s.code()), running);
    }

    void show(Context ctx) {
        var current = board.current();
        var report = new ModuleReports(pages.app().database().dsl()).report(ctx.pathParam("name"), current.snapshot());
        var model = pages.model(ctx, "modules", report.name());
        model.put("module", report);
        model.put("statusLabel", StatusLabels.label(report.statusForCurrentVersion()));
        model.put("statusBadge", StatusLabels.badge(report.statusForCurrentVersion().code()));
        model.put("producers", neighbours(report.producers(), current));
        model.put("consumers", neighbours(report.consumers(), current));
        pages.render(ctx, "module", model);
    }

    private static List<ModuleRow> neighbours(List<ModuleReport.Neighbour> names, StatusBoard.Board current) {
        return names.stream().map(n -> {
            var m = current.snapshot().module(n.name());
            return row(n.name(), m.application(), m.published(), current.statuses().get(n.name()), m.runningVersion());
        }).toList();
    }

    void publish(Context ctx) {
        String name = ctx.pathParam("name");
        act(ctx, "publish", name, () -> {
            var report = pages.app().publisher().publish(List.of(name), Actors.of(ctx));
            var result = report.results().get(0);
            String message = switch (result.status()) {
                case PUBLISHED -> "Published " + name + " with " + report.version() + ".";
                case FAILED -> "Publish of " + name + " failed: it does not compile with " + report.version() + ".\n"
                        + String.join("\n", result.errors().stream().map(e -> e.render()).toList());
                default -> result.detail();
            };
            boolean published = result.status() == modprep.environment.Publisher.Status.PUBLISHED;
            Pages.flash(ctx, published ? "success" : "danger", message);
            return published ? Audit.Outcome.succeeded(null) : Audit.Outcome.failed(message);
        });
    }

    void applyConfigurations(Context ctx) {
        String name = ctx.pathParam("name");
        act(ctx, "apply-configurations", name, () -> {
            var values = new LinkedHashMap<String, String>();
            ctx.formParamMap().forEach((key, list) -> {
                if (key.startsWith("config.")) {
                    values.put(key.substring("config.".length()), list.isEmpty() ? "" : list.get(0));
                }
            });
            pages.app().operations().applyConfigurations(name, values, Actors.of(ctx));
            Pages.flash(ctx, "success", "Applied the configurations of " + name + ".");
            return Audit.Outcome.succeeded(String.join(", ", values.keySet()));
        });
    }

    void delete(Context ctx) {
        String name = ctx.pathParam("name");
        try {
            pages.audited(ctx, "delete", name, () -> {
                pages.app().operations().delete(name, Actors.of(ctx));
                return null;
            });
            Pages.flash(ctx, "success", "Deleted module " + name + ".");
            ctx.redirect("/modules");
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
            ctx.redirect(moduleUrl(name));
        }
    }

    void upload(Context ctx) throws Exception {
        String name = ctx.pathParamMap().containsKey("name") ? ctx.pathParam("name") : ctx.formParam("name");
        var file = ctx.uploadedFile("archive");
        act(ctx, "upload", name, () -> {
            Names.requireModuleName(name, "upload");
            if (file == null) {
                throw ModprepException.badInput("choose a zip archive of the module folder to upload");
            }
            var temp = Files.createTempDirectory("modprep-upload");
            try (var in = file.content()) {
                var folder = ModuleArchive.extract(in, name, temp);
                var result = pages.app().uploader().upload(folder, Actors.of(ctx));
                Pages.flash(ctx, "success", "Uploaded " + result.module() + ": code version " + result.codeVersion()
                        + ". Publish it to use it.");
                return Audit.Outcome.succeeded("code version " + result.codeVersion());
            } finally {
                try (var walk = Files.walk(temp)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        });
    }

    /**
     * Runs an action (recorded in the audit) and redirects to the module page with its outcome, or its
     * refusal, as a flash message.
     */
    private void act(Context ctx, String actionName, String name, Action action) {
        try {
            pages.audited(ctx, actionName, name, () -> {
                try {
                    return action.run();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
        }
        ctx.redirect(Names.isValidModuleName(name) ? moduleUrl(name) : "/modules");
    }

    static String moduleUrl(String name) {
        return "/modules/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    interface Action {
        Audit.Outcome run() throws Exception;
    }
}
