package modprep.web;

import io.javalin.http.Context;
import modprep.access.Audit;
import modprep.access.AuditOutcome;

/** The Audit page: every action, who did it, when, on what and how it ended, with filters. */
final class AuditController {
    private static final int PAGE_SIZE = 50;

    private final Pages pages;
    private final RequestState state;
    private final Regions regions;
    private final Audit audit;

    AuditController(Pages pages, RequestState state, Regions regions, Audit audit) {
        this.pages = pages;
        this.state = state;
        this.regions = regions;
        this.audit = audit;
    }

    void list(Context ctx) {
        var filter = new Audit.Filter(ctx.queryParam("actor"), ctx.queryParam("action"), ctx.queryParam("outcome"), ctx.queryParam("q"));
        int total = audit.count(filter);
        int pageCount = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = Math.max(1, Math.min(pageCount, ctx.queryParamAsClass("page", Integer.class).getOrDefault(1)));
        var entries = audit.find(filter, (page - 1) * PAGE_SIZE, PAGE_SIZE);
        var model = pages.model(ctx);
        model.put("entries", entries);
        // An entry never changes once written: the same entries are the same rows, whoever reads them.
        if (!entries.isEmpty()) {
            String key = "audit rows " + entries.stream().map(e -> Long.toString(e.id())).collect(java.util.stream.Collectors.joining(","));
            model.put("rowsHtml", regions.of(state.stamp(ctx), key, () -> pages.fragment("audit", "rows", new java.util.HashMap<>(java.util.Map.of("entries", entries)))));
        }
        model.put("filter", filter);
        model.put("outcomes", java.util.Arrays.stream(AuditOutcome.values()).map(AuditOutcome::code).toList());
        model.put("actions", audit.actions());
        model.put("total", total);
        model.put("page", page);
        model.put("pageCount", pageCount);
        pages.render(ctx, "audit", model);
    }
}
