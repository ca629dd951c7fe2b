package modprep.web;

import io.javalin.http.Context;
import java.util.List;
import modprep.ModprepException;
import modprep.access.Audit;
import modprep.settings.InstallationSettings;
import modprep.settings.SettingKey;
import modprep.settings.Source;

/**
 * The installation settings, shared by every node: each with its value, where it comes from, its default and
 * what is allowed; administrators change them here (audited), unless a run in progress forbids it now.
 */
final class SettingsController {
    private final Pages pages;
    private final InstallationSettings settings;
    private final Audit audit;

    /** One setting as the page shows it; blockedBy names the run that forbids a change now (null: it may change). */
    record Row(String name, String description, String value, boolean bool, boolean fromDatabase, String defaultText,
               String allowed, String blockedBy) {
    }

    SettingsController(Pages pages, InstallationSettings settings, Audit audit) {
        this.pages = pages;
        this.settings = settings;
        this.audit = audit;
    }

    void show(Context ctx) {
        List<Row> rows = settings.values().all().stream().map(v -> {
            SettingKey key = v.key();
            return new Row(key.name(), key.description(), v.shown(), key.defaultText().equals("false") || key.defaultText().equals("true"),
                    v.source() == Source.DATABASE, key.defaultText(), key.type().allowed(), settings.blockedBy(key).orElse(null));
        }).toList();
        var model = pages.model(ctx);
        model.put("settings", rows);
        pages.render(ctx, "settings", model);
    }

    void change(Context ctx) {
        String name = ctx.formParam("name");
        String value = ctx.formParam("value");
        try {
            if (name == null || value == null) {
                throw ModprepException.badInput("the form must give a setting's name and value");
            }
            var outcome = audit.record(Actors.actor(ctx), "setting-change", name, () -> Audit.Outcome.succeeded(
                    settings.set(name, value, Source.request("the Settings page"), Actors.of(ctx)).toString()));
            Pages.flash(ctx, "success", "Changed " + outcome.detail() + ".");
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
        }
        ctx.redirect("/settings");
    }
}
