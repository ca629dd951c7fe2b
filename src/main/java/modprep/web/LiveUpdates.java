package modprep.web;

import io.javalin.http.sse.SseClient;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import modprep.Json;
import modprep.access.User;
import modprep.access.UserAccounts;
import modprep.readmodel.Board;
import modprep.readmodel.StatusBoard;
import modprep.status.VersionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * U8: progress pushed to every open page by server-sent events. One thread looks at the database
 * twice a second; when anything changed it sends each page the banner and sidebar (rendered here, so
 * the page's script only swaps them in), the run's counts, and the new status of the modules that page
 * shows. A user holds at most {@value #STREAMS_PER_USER} streams at once: a newer page's stream closes
 * the user's oldest (a page left open longest), so browsing never loses live updates while a client
 * opening stream after stream holds no more than that; every few seconds a comment goes to every
 * stream, so that a page closed meanwhile is let go. Every second the streams of a session that ended
 * (signed out through any node, or expired), or of a user whose access ended (disabled, removed, a new password), are told "ended"
 * and closed: access ends for a page left open as it does for the next request.
 */
final class LiveUpdates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);
    static final int STREAMS_PER_USER = 8;
    /** Ticks (of half a second) between two comments sent to find streams that were closed. */
    private static final int TICKS_PER_HEARTBEAT = 10;
    /** Ticks between two checks that each stream's user and session may still see the console. */
    private static final int TICKS_PER_ACCESS_CHECK = 2;

    private final StatusBoard board;
    private final UserAccounts accounts;
    private final Chrome chrome;
    private final Map<SseClient, Subscriber> clients = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        var thread = new Thread(r, "modprep-live");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Board last;
    /** Each user's streams, oldest first. */
    private final Map<String, Deque<SseClient>> streams = new HashMap<>();
    private int ticks;

    /** A page's stream: the modules it shows, and whose session it belongs to. */
    private record Subscriber(Set<String> modules, User user, HttpSession session, String sessionId) {
        /**
         * Whether the session is still signed in, here and in the database (a sign-out through another node
         * deletes its row), and its user's access goes on (as {@code active} says).
         */
        boolean allowed(Map<Long, Instant> active, Set<String> storedSessions) {
            try {
                session.getAttribute(AccessControl.SESSION_USER); // throws once the session is invalidated
            } catch (IllegalStateException signedOut) {
                return false;
            }
            return storedSessions.contains(sessionId) && user.passwordChangedAt().equals(active.get(user.id()));
        }
    }

    /** Of some session ids, those still stored (signed in on some node). */
    private final java.util.function.UnaryOperator<Set<String>> storedSessions;

    LiveUpdates(Chrome chrome, StatusBoard board, UserAccounts accounts, java.util.function.UnaryOperator<Set<String>> storedSessions) {
        this.storedSessions = storedSessions;
        this.chrome = chrome;
        this.board = board;
        this.accounts = accounts;
    }

    LiveUpdates start() {
        ticker.scheduleWithFixedDelay(this::tick, 500, 500, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Holds the stream among the user's; returns the oldest one it replaces, if they held them all. */
    private SseClient hold(String user, SseClient client) {
        synchronized (streams) {
            var held = streams.computeIfAbsent(user, k -> new ArrayDeque<>());
            held.addLast(client);
            return held.size() > STREAMS_PER_USER ? held.pollFirst() : null;
        }
    }

    private void release(String user, SseClient client) {
        synchronized (streams) {
            var held = streams.get(user);
            if (held != null && held.remove(client) && held.isEmpty()) {
                streams.remove(user);
            }
        }
    }

    /** A page subscribes, naming the modules it shows; it gets the current state at once. */
    void subscribe(SseClient client) {
        String names = client.ctx().queryParam("modules");
        // Set.copyOf, not Set.of: a name given twice must not fail the subscription (Set.of refuses duplicates).
        Set<String> modules = names == null || names.isBlank() ? Set.of() : Set.copyOf(java.util.Arrays.asList(names.split(",")));
        String user = Actors.of(client.ctx());
        var session = client.ctx().req().getSession(false);
        clients.put(client, new Subscriber(modules, client.ctx().attribute(Actors.USER_ATTRIBUTE), session, session.getId()));
        client.onClose(() -> {
            clients.remove(client);
            release(user, client);
        });
        var replaced = hold(user, client);
        if (replaced != null) {
            clients.remove(replaced);
            replaced.sendEvent("superseded", "a newer page of yours took this stream's place");
            replaced.close();
        }
        var current = board.latest();
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
            if (ticks % TICKS_PER_ACCESS_CHECK == 0) {
                endWithoutAccess();
            }
            var current = board.latest();
            var previous = last;
            if (previous != null && previous.stamp().equals(current.stamp())) {
                return;
            }
            last = current;
            var chrome = chrome(current); // the same banner and sidebar for every page: rendered once
            clients.forEach((client, subscriber) -> send(client, payload(current, chrome, subscriber.modules(), previous)));
        } catch (RuntimeException e) {
            modprep.db.OutOfMemory.endIfIn(e);
            if (!modprep.db.Database.connectionLost(e)) { // an outage is logged once, where it is found, not twice a second
                LOG.warn("live update failed", e); // a bug: its stack trace says where
            }
        }
    }

    private void endWithoutAccess() {
        var active = accounts.active();
        var stored = storedSessions.apply(clients.values().stream().map(Subscriber::sessionId).collect(java.util.stream.Collectors.toSet()));
        clients.forEach((client, subscriber) -> {
            if (!subscriber.allowed(active, stored)) {
                clients.remove(client);
                client.sendEvent("ended", "signed out, or this user's access ended");
                client.close();
            }
        });
    }

    /** The banner and the sidebar, rendered. */
    private Map<String, String> chrome(Board current) {
        var html = chrome.html(current.stamp(), chrome.model(current.stamp())).withToken(null);
        return Map.of("banner", html.banner().text(), "sidebar", html.sidebar().text());
    }

    private Map<String, Object> payload(Board current, Map<String, String> chrome, Set<String> modules,
                                        Board previous) {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("stamp", current.stamp().hashCode());
        payload.put("version", current.stamp().version()); // an upgrade made elsewhere: the page says so wherever it names the version
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
