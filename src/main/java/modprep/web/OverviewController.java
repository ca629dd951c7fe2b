package modprep.web;

import io.javalin.http.Context;
import java.util.Map;
import java.util.TreeMap;
import modprep.preparation.StatusBoard;

/** The environment overview: its version, its modules by status, its applications, the latest run. */
final class OverviewController {
    private final Pages pages;
    private final StatusBoard board;

    OverviewController(Pages pages, StatusBoard board) {
        this.pages = pages;
        this.board = board;
    }

    void overview(Context ctx) {
        var current = board.current();
        Map<String, Integer> byStatus = new TreeMap<>();
        current.statuses().values().forEach(s -> byStatus.merge(s.code(), 1, Integer::sum));
        var model = pages.model(ctx, "overview", "Environment");
        model.put("moduleCount", current.snapshot().modules().size());
        model.put("publishedCount", current.snapshot().modules().values().stream().filter(m -> m.published()).count());
        model.put("applicationCount", current.snapshot().modules().values().stream().map(m -> m.application()).distinct().count());
        model.put("byStatus", byStatus);
        model.put("labels", StatusLabels.FILTERS);
        pages.render(ctx, "overview", model);
    }
}
