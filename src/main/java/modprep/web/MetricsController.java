package modprep.web;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import modprep.db.Database;
import modprep.readmodel.MonitoringQueries;
import modprep.readmodel.StatusBoard;
import modprep.status.ModuleStatus;
import modprep.status.RunStatus;

/**
 * GET /metrics in Prometheus' text format: what the database holds (runs by status, modules by status for
 * the current version, runs waiting for a worker to claim them), read once per scrape; what this process
 * measured (groups and compile batches as histograms, requests by route template, the connection pool,
 * the JVM). Requests are labelled by the route's template (/modules/{name}), never by the path, so that
 * 10,000 module pages make one series.
 */
final class MetricsController {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Duration[] REQUEST_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry meters;
    private final MonitoringQueries queries;
    private final StatusBoard board;
    private final Map<RunStatus, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final Map<ModuleStatus, AtomicInteger> modules = new ConcurrentHashMap<>();
    private final AtomicInteger claimsWaiting = new AtomicInteger();
    private final Map<Series, Timer> requests = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    MetricsController(PrometheusMeterRegistry meters, MonitoringQueries queries, Database database, StatusBoard board) {
        this.meters = meters;
        this.queries = queries;
        this.board = board;
        for (var status : RunStatus.values()) {
            var value = runs.computeIfAbsent(status, s -> new AtomicInteger());
            Gauge.builder("modprep.runs", value, AtomicInteger::get).description("Preparation runs by status")
                    .tag("status", status.code()).register(meters);
        }
        for (var status : ModuleStatus.values()) {
            var value = modules.computeIfAbsent(status, s -> new AtomicInteger());
            Gauge.builder("modprep.modules", value, AtomicInteger::get).description("Modules by status for the current platform version")
                    .tag("status", status.code()).register(meters);
        }
        Gauge.builder("modprep.claims.waiting", claimsWaiting, AtomicInteger::get)
                .description("Running runs no live worker holds (no lease, or an expired one)").register(meters);
        database.trackPool(meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        gc.bindTo(meters);
    }

    /** Counts a request under its route template once answered (Javalin's request logger). */
    void record(Context ctx, Float millis) {
        var endpoint = ctx.endpoints().lastHttpEndpoint();
        String route = endpoint != null ? endpoint.path
                : ctx.path().startsWith("/static/") || ctx.path().startsWith("/webjars/") ? "static" : "none";
        // Found by a plain map read: building and registering the timer each time was 2.5 % of a page (JFR).
        var series = new Series(ctx.method().name(), route, ctx.statusCode());
        var timer = requests.get(series);
        if (timer == null) {
            timer = requests.computeIfAbsent(series, s -> Timer.builder("modprep.http.requests")
                    .description("HTTP requests answered, by route template")
                    .tags("method", s.method(), "route", s.route(), "status", String.valueOf(s.status()))
                    .serviceLevelObjectives(REQUEST_BUCKETS).register(meters));
        }
        timer.record((long) (millis * 1_000_000), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** One series of the requests' timer. */
    private record Series(String method, String route, int status) {
    }

    void scrape(Context ctx) {
        queries.runsByStatus().forEach((status, count) -> runs.get(status).set(count));
        claimsWaiting.set(queries.claimsWaiting());
        var counts = new java.util.EnumMap<ModuleStatus, Integer>(ModuleStatus.class);
        try {
            board.current().statuses().values().forEach(s -> counts.merge(s.status(), 1, Integer::sum));
        } catch (modprep.ModprepException noEnvironmentYet) {
            // nothing imported yet: no modules
        }
        modules.forEach((status, value) -> value.set(counts.getOrDefault(status, 0)));
        ctx.contentType(CONTENT_TYPE).result(meters.scrape());
    }

    void close() {
        gc.close();
    }
}
