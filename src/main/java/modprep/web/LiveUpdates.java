package modprep.web;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import modprep.Json;
import modprep.readmodel.Board;
import modprep.readmodel.StatusBoard;
import modprep.status.VersionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * U8: progress pushed to every open page by server-sent events. One thread looks at the database
 * twice a second; when anything changed it sends each page the banner and sidebar (rendered here, so
 * the page's script only swaps them in), the run's counts, and the new status of the modules that page
 * shows. A user holds at most {@value #STREAMS_PER_USER} streams at once; every few seconds a comment
 * goes to every stream, so that the place of a page closed meanwhile is found free.
 */
final class LiveUpdates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);
    static final int STREAMS_PER_USER = 8;
    /** Ticks (of half a second) between two comments sent to find streams that were closed. */
    private static final int TICKS_PER_HEARTBEAT = 10;
    private static final String STREAM_OWNER = "modprep.stream-owner";

    private final Views views;
    private final StatusBoard board;
    private final Map<SseClient, Set<String>> clients = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        var thread = new Thread(r, "modprep-live");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Board last;
    private final Map<String, Integer> streams = new HashMap<>();
    private int ticks;

    LiveUpdates(Views views, StatusBoard board) {
        this.views = views;
        this.board = board;
    }

    LiveUpdates start() {
        ticker.scheduleWithFixedDelay(this::tick, 500, 500, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Before a stream opens: takes one of the user's places, or answers 429 when they hold them all. */
    void admit(Context ctx) {
        var user = Actors.user(ctx);
        String accept = ctx.header("Accept");
        if (user == null || accept == null || !accept.contains("text/event-stream")) {
            return; // not a stream: nothing to hold a place for
        }
        synchronized (streams) {
            int held = streams.getOrDefault(user.name(), 0);
            if (held >= STREAMS_PER_USER) {
                ctx.status(429).result(user.name() + " has " + STREAMS_PER_USER + " live pages open already, the most one user may "
                        + "have: close some, then reload this one.");
                ctx.skipRemainingHandlers();
                return;
            }
            streams.put(user.name(), held + 1);
        }
        ctx.attribute(STREAM_OWNER, user.name());
    }

    private void release(String owner) {
        if (owner != null) {
            synchronized (streams) {
                streams.computeIfPresent(owner, (name, held) -> held <= 1 ? null : held - 1);
            }
        }
    }

    /** A page subscribes, naming the modules it shows; it gets the current state at once. */
    void subscribe(SseClient client) {
        String names = client.ctx().queryParam("modules");
        // Set.copyOf, not Set.of: a name given twice must not fail the subscription (Set.of refuses duplicates).
        Set<String> modules = names == null || names.isBlank() ? Set.of() : Set.copyOf(java.util.Arrays.asList(names.split(",")));
        String owner = client.ctx().attribute(STREAM_OWNER);
        clients.put(client, modules);
        client.onClose(() -> {
            clients.remove(client);
            release(owner);
        });
        var current = board.current();
        send(client, payload(current, chrome(current), modules, null));
        client.keepAlive();
    }

    private void tick() {
        try {
            if (clients.isEmpty()) {
                return;
            }
            if (++ticks % TICKS_PER_HEARTBEAT == 0) {
                clients.keySet().forEach(client -> client.sendComment("alive")); // a closed stream fails, and is let go
            }
            var current = board.current();
            var previous = last;
            if (previous != null && previous.stamp().equals(current.stamp())) {
                return;
            }
            last = current;
            var chrome = chrome(current); // the same banner and sidebar for every page: rendered once
            clients.forEach((client, modules) -> send(client, payload(current, chrome, modules, previous)));
        } catch (RuntimeException e) {
            LOG.warn("live update failed: {}", e.getMessage());
        }
    }

    /** The banner and the sidebar, rendered. */
    private Map<String, String> chrome(Board current) {
        var chrome = Pages.chrome(current.stamp());
        return Map.of("banner", views.renderFragment("fragments/banner", "banner", chrome),
                "sidebar", views.renderFragment("fragments/sidebar", "sidebar", chrome));
    }

    private Map<String, Object> payload(Board current, Map<String, String> chrome, Set<String> modules,
                                        Board previous) {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("stamp", current.stamp().hashCode());
        payload.put("banner", chrome.get("banner"));
        payload.put("sidebar", chrome.get("sidebar"));
        var statuses = new HashMap<String, Map<String, String>>();
        for (String name : modules) {
            var status = current.statuses().get(name);
            VersionStatus before = previous == null ? null : previous.statuses().get(name);
            if (status != null && (before == null || !before.equals(status))) {
                statuses.put(name, Map.of("code", status.code(), "label", status.label(), "badge", status.badge(),
                        "text", status.text()));
            }
        }
        payload.put("statuses", statuses);
        return payload;
    }

    private void send(SseClient client, Map<String, Object> payload) {
        try {
            client.sendEvent("progress", Json.MAPPER.writeValueAsString(payload));
        } catch (Exception e) {
            clients.remove(client);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        clients.keySet().forEach(SseClient::close);
    }
}
