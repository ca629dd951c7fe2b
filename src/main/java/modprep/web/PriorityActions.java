package modprep.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import modprep.ModprepException;
import modprep.access.Audit;
import modprep.preparation.Preparations;

/**
 * I4: an administrator moves a module, or an application, to the front of the run in progress: a
 * button on the module and application pages, and the API. Audited, refusals included.
 */
final class PriorityActions {
    private final Preparations preparations;
    private final Audit audit;
    private final Runnable wakeWorker;

    PriorityActions(Preparations preparations, Audit audit, Runnable wakeWorker) {
        this.preparations = preparations;
        this.audit = audit;
        this.wakeWorker = wakeWorker;
    }

    void module(Context ctx) {
        String name = ctx.pathParam("name");
        page(ctx, name, null, ModuleActions.moduleUrl(name));
    }

    void application(Context ctx) {
        String name = ctx.pathParam("name");
        page(ctx, null, name, "/applications/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }

    void apiModule(Context ctx) {
        ctx.json(json(prioritise(ctx, ctx.pathParam("name"), null)));
    }

    void apiApplication(Context ctx) {
        ctx.json(json(prioritise(ctx, null, ctx.pathParam("name"))));
    }

    private void page(Context ctx, String module, String application, String back) {
        try {
            var moved = prioritise(ctx, module, application);
            Pages.flash(ctx, "success", sentence(moved));
        } catch (ModprepException e) {
            Pages.flash(ctx, "danger", e.getMessage());
        }
        ctx.redirect(back);
    }

    private Preparations.Prioritised prioritise(Context ctx, String module, String application) {
        var moved = audit.record(Actors.actor(ctx), "prioritise", module != null ? module : "application " + application, () -> {
            var result = preparations.prioritise(module, application, Actors.of(ctx));
            return result;
        });
        wakeWorker.run();
        return moved;
    }

    /** "Prioritised module Auth in run #3: 4 modules (it and its producers) now in groups 5 to 6 of 40." */
    static String sentence(Preparations.Prioritised moved) {
        return "Prioritised " + moved.target() + " in preparation run #" + moved.runId() + ": " + moved.modules().size()
                + (moved.modules().size() == 1 ? " module" : " modules") + " (with the producers it waits on) now in "
                + (moved.firstGroup() == moved.lastGroup() ? "group " + moved.firstGroup() : "groups " + moved.firstGroup() + " to " + moved.lastGroup())
                + " of " + moved.groupCount() + ", next after the group in progress.";
    }

    private static Object json(Preparations.Prioritised moved) {
        var body = new LinkedHashMap<String, Object>();
        body.put("runId", moved.runId());
        body.put("target", moved.target());
        body.put("modules", moved.modules());
        body.put("firstGroup", moved.firstGroup());
        body.put("lastGroup", moved.lastGroup());
        body.put("groupCount", moved.groupCount());
        body.put("message", sentence(moved));
        return body;
    }
}
