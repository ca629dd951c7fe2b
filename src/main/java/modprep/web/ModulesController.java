package modprep.web;

import io.javalin.http.Context;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import modprep.ModprepException;
import modprep.access.Audit;
import modprep.environment.Names;
import modprep.environment.PublishState;
import modprep.readmodel.ModuleReport;
import modprep.readmodel.ModuleReports;
import modprep.readmodel.StatusBoard;
import modprep.status.ModuleStatus;
import modprep.status.VersionStatus;

/** Factory › Modules (U7) and the module page (U6), with Publish, Apply configurations, Delete and Upload. */
final class ModulesController {
    private final Pages pages;

    ModulesController(Pages pages) {
        this.pages = pages;
    }

    /** A module's row, with its name and application lower-cased once for searching. */
    private record Indexed(ModuleRow row, String name, String application) {
    }

    void list(Context ctx) {
        String q = ctx.queryParamAsClass("q", String.class).getOrDefault("").strip();
        String status = ctx.queryParamAsClass("status", String.class).getOrDefault("");
        int page = ctx.queryParamAsClass("page", Integer.class).getOrDefault(1);
        var current = pages.board(ctx);
        var model = pages.model(ctx, "modules", "Modules");
        model.put("q", q);
        model.put("status", status);
        model.put("filters", ModuleStatus.filters());
        // The count, the table and the pager: once per board and query.
        model.put("listHtml", pages.region(current, String.join("\u0000", "modules", String.valueOf(page), status, q), () -> {
            var list = new HashMap<String, Object>();
            list.put("modules", Paging.of(rows(current, q, status, null), page));
            list.put("q", q);
            list.put("status", status);
            list.put("platformVersion", current.stamp().version());
            return pages.fragment("modules", "modules-list", list);
        }));
        pages.render(ctx, "modules", model);
    }

    /**
     * Modules matching a search and a status filter, by name; for one application when given. Every
     * module's row is made and sorted once per board; a request only filters them.
     */
    List<ModuleRow> rows(StatusBoard.Board current, String q, String status, String application) {
        List<Indexed> all = current.memo("module-rows", () -> {
            var rows = new ArrayList<Indexed>(current.snapshot().modules().size());
            for (var module : current.snapshot().modules().values()) {
                var row = row(module.name(), module.application(), module.published(), current.statuses().get(module.name()),
                        module.runningVersion());
                rows.add(new Indexed(row, module.name().toLowerCase(Locale.ROOT), module.application().toLowerCase(Locale.ROOT)));
            }
            rows.sort(Comparator.comparing(r -> r.row().name()));
            return List.copyOf(rows);
        });
        String needle = q == null ? "" : q.toLowerCase(Locale.ROOT);
        if (needle.isEmpty() && (status == null || status.isEmpty()) && application == null) {
            return current.memo("module-rows-all", () -> all.stream().map(Indexed::row).toList());
        }
        var rows = new ArrayList<ModuleRow>();
        for (var r : all) {
            boolean found = needle.isEmpty() || r.name().contains(needle) || r.application().contains(needle);
            if (found && (status == null || status.isEmpty() || status.equals(r.row().filter())) && (application == null || application.equals(r.row().application()))) {
                rows.add(r.row());
            }
        }
        return rows;
    }

    static ModuleRow row(String name, String application, boolean published, VersionStatus s, String running) {
        return new ModuleRow(name, application, PublishState.of(published), s.code(), s.label(), s.badge(),
                s.status().filter(), running);
    }


    void show(Context ctx) {
        var current = pages.board(ctx);
        var report = new ModuleReports(pages.app().database().dsl()).report(ctx.pathParam("name"), current.snapshot(), current.statuses());
        var model = pages.model(ctx, "modules", report.name());
        model.put("module", report);
        model.put("statusLabel", report.statusForCurrentVersion().label());
        model.put("statusBadge", report.statusForCurrentVersion().badge());
        model.put("producers", neighbours(report.producers(), current));
        var consumers = Paging.of(report.consumers(), ctx.queryParamAsClass("consumers", Integer.class).getOrDefault(1));
        model.put("consumers", consumers);
        // The page of consumers, with their statuses and the pager: once per board, module and page.
        model.put("consumersHtml", pages.region(current, String.join("\u0000", "consumers", report.name(), String.valueOf(consumers.page())), () -> {
            var list = new HashMap<String, Object>();
            list.put("module", Map.of("name", report.name()));
            list.put("consumers", new Paging<>(neighbours(consumers.items(), current), consumers.page(), consumers.size(), consumers.total()));
            return pages.fragment("module", "consumers-list", list);
        }));
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
