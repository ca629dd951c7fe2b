package modprep.web;

import io.javalin.http.Context;
import java.util.Map;
import java.util.TreeMap;
import modprep.status.ModuleStatus;

/** The environment overview: its version, its modules by status, its applications, the latest run. */
final class OverviewController {
    private final Pages pages;
    private final RequestState state;

    OverviewController(Pages pages, RequestState state) {
        this.pages = pages;
        this.state = state;
    }

    /** What the overview counts, once per board. */
    private record Counts(int modules, long published, long applications, Map<String, Integer> byStatus) {
    }

    void overview(Context ctx) {
        var current = state.board(ctx);
        var counts = current.memo("overview-counts", () -> {
            Map<String, Integer> byStatus = new TreeMap<>();
            current.statuses().values().forEach(s -> byStatus.merge(s.status().filter(), 1, Integer::sum));
            var modules = current.snapshot().modules().values();
            return new Counts(modules.size(), modules.stream().filter(m -> m.published()).count(),
                    modules.stream().map(m -> m.application()).distinct().count(), byStatus);
        });
        var model = pages.model(ctx);
        model.put("moduleCount", counts.modules());
        model.put("publishedCount", counts.published());
        model.put("applicationCount", counts.applications());
        model.put("byStatus", counts.byStatus());
        model.put("labels", ModuleStatus.filters());
        pages.renderShared(ctx, "overview", model, false);
    }
}
