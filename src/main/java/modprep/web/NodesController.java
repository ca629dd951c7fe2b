package modprep.web;

import io.javalin.http.Context;
import java.util.Map;
import java.util.function.Supplier;
import modprep.readmodel.NodeQueries;

/**
 * The Nodes page and GET /api/nodes: every process sharing the database, where it serves, which modprep
 * it runs, when it started and last beat, and what it is doing; one whose heartbeat is older than the
 * installation's lease-timeout is shown as not responding since that beat.
 */
final class NodesController {
    private final Pages pages;
    private final NodeQueries nodes;
    private final Supplier<java.time.Duration> leaseTimeout;

    NodesController(Pages pages, NodeQueries nodes, Supplier<java.time.Duration> leaseTimeout) {
        this.pages = pages;
        this.nodes = nodes;
        this.leaseTimeout = leaseTimeout;
    }

    void page(Context ctx) {
        var model = pages.model(ctx);
        var list = nodes.nodes(leaseTimeout.get());
        model.put("nodes", list);
        // The run the batches are counted in: the latest, read with them, which may have ended.
        model.put("batchesRun", list.isEmpty() ? null : list.get(0).batchesRun());
        model.put("leaseTimeout", leaseTimeout.get().toSeconds());
        pages.render(ctx, "nodes", model);
    }

    void api(Context ctx) {
        ctx.json(Map.of("nodes", nodes.nodes(leaseTimeout.get()).stream().map(NodesController::json).toList()));
    }

    private static Map<String, Object> json(NodeQueries.Node n) {
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("name", n.name());
        body.put("kind", n.kind());
        body.put("host", n.host());
        body.put("pid", n.pid());
        body.put("address", n.address());
        body.put("version", n.version());
        body.put("startedAt", n.startedAt());
        body.put("lastHeartbeat", n.lastHeartbeat());
        body.put("responding", n.responding());
        body.put("activity", n.activity());
        body.put("doing", n.doing());
        body.put("runId", n.runId());
        body.put("group", n.group());
        body.put("batchesCompiled", n.batchesCompiled());
        body.put("batchesRunId", n.batchesRun());
        return body;
    }
}
