package modprep.web;

import io.javalin.http.Context;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import modprep.ModprepException;
import modprep.access.Audit;
import modprep.environment.ModuleOperations;
import modprep.environment.Names;
import modprep.environment.Publisher;
import modprep.environment.Uploader;

/** The module page's actions: Publish, Apply configurations, Delete and Upload, each audited (P7 refusals included). */
final class ModuleActions {
    private final Publisher publisher;
    private final ModuleOperations operations;
    private final Uploader uploader;
    private final Audit audit;

    ModuleActions(Publisher publisher, ModuleOperations operations, Uploader uploader, Audit audit) {
        this.publisher = publisher;
        this.operations = operations;
        this.uploader = uploader;
        this.audit = audit;
    }

    void publish(Context ctx) {
        String name = ctx.pathParam("name");
        act(ctx, "publish", name, () -> {
            var report = publisher.publish(List.of(name), Actors.of(ctx));
            var result = report.results().get(0);
            String message = switch (result.status()) {
                case PUBLISHED -> "Published " + name + " with " + report.version() + ".";
                case FAILED -> "Publish of " + name + " failed: it does not compile with " + report.version() + ".\n"
                        + String.join("\n", result.errors().stream().map(e -> e.render()).toList());
                default -> result.detail();
            };
            boolean published = result.status() == Publisher.Status.PUBLISHED;
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
            operations.applyConfigurations(name, values, Actors.of(ctx));
            Pages.flash(ctx, "success", "Applied the configurations of " + name + ".");
            return Audit.Outcome.succeeded(String.join(", ", values.keySet()));
        });
    }

    void delete(Context ctx) {
        String name = ctx.pathParam("name");
        try {
            audit.record(Actors.actor(ctx), "delete", name, () -> {
                operations.delete(name, Actors.of(ctx));
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
                var result = uploader.upload(folder, Actors.of(ctx));
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
            audit.record(Actors.actor(ctx), actionName, name, () -> {
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
