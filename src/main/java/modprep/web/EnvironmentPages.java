package modprep.web;

import io.javalin.http.Context;
import modprep.Modprep;
import modprep.environment.EnvironmentRepository;
import modprep.environment.EnvironmentSnapshot;
import modprep.preparation.RunQueries;

/** The environment overview. */
final class EnvironmentPages {
    private final Modprep app;

    EnvironmentPages(Modprep app) {
        this.app = app;
    }

    void overview(Context ctx) {
        var dsl = app.database().dsl();
        var settings = new EnvironmentRepository(dsl).settings();
        var snapshot = EnvironmentSnapshot.load(dsl, settings.version());
        long published = snapshot.modules().values().stream().filter(EnvironmentSnapshot.ModuleState::published).count();
        var run = new RunQueries(dsl).latest(false);
        var html = new StringBuilder("<!doctype html><title>modprep</title><h1>modprep</h1>")
                .append("<p>Platform ").append(settings.version()).append(": ").append(snapshot.modules().size())
                .append(" modules, ").append(published).append(" published.</p>");
        if (run != null) {
            html.append("<p>Preparation run #").append(run.id()).append(" (").append(run.status()).append("): ")
                    .append(run.counts().prepared()).append(" of ").append(run.counts().total()).append(" prepared.</p>");
        }
        ctx.html(html.toString());
    }
}
