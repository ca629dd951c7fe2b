package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import modprep.Json;
import modprep.access.Role;
import modprep.access.TokenScope;
import modprep.preparation.WorkerKind;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /health (no sign-in; 200, or 503 naming the failed check and nothing else) and GET /metrics
 * (Prometheus' text format, to a metrics token only; requests labelled by route template, not path).
 */
class MonitoringTest {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void health_answers_200_signed_out_and_503_naming_the_worker_once_it_stopped_telling_nothing_else() throws Exception {
        try (var app = TestEnvironment.newModprep()) {
            var worker = app.worker(WorkerKind.SERVER).start();
            var web = new WebApp(app, worker::wake, worker::alive).create().start("127.0.0.1", 0);
            try {
                var up = get(web.port(), "/health", null);
                assertEquals(200, up.statusCode(), up.body());
                assertEquals(Json.MAPPER.readTree("{\"status\":\"up\",\"checks\":{\"database\":\"up\",\"schema\":\"up\",\"worker\":\"up\"}}"),
                        Json.MAPPER.readTree(up.body()));
                assertTrue(up.headers().allValues("Set-Cookie").isEmpty(), "no session for a probe");
                worker.close();
                var down = get(web.port(), "/health", null);
                assertEquals(503, down.statusCode(), down.body());
                assertEquals(Json.MAPPER.readTree("{\"status\":\"down\",\"checks\":{\"database\":\"up\",\"schema\":\"up\",\"worker\":\"down\"}}"),
                        Json.MAPPER.readTree(down.body()));
            } finally {
                web.stop();
            }
        }
    }

    @Test
    void metrics_need_a_metrics_token_and_give_runs_modules_groups_batches_requests_by_route_the_pool_and_the_JVM() throws Exception {
        var env = new TestEnvironment("11.16.1").module("Core").module("Web", "Core").module("Shop", "Web").failing("Old", "Core");
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            app.accounts().add("admin", Role.ADMINISTRATOR, "correct horse battery staple");
            String scraper = app.tokens().create("admin", "prometheus", "test", modprep.access.ApiTokens.DEFAULT_LIFETIME, TokenScope.METRICS);
            String apiToken = app.tokens().create("admin", "script", "test", modprep.access.ApiTokens.DEFAULT_LIFETIME);
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                var web = new WebApp(app, worker::wake, worker::alive).create().start("127.0.0.1", 0);
                try {
                    TestEnvironment.setGroupSize(app, 1);
                    long run = app.preparations().upgrade("11.17.0", "alice").runId();
                    worker.wake();
                    TestEnvironment.awaitEnd(app, run, Duration.ofMinutes(2));
                    for (String module : new String[] {"Core", "Web", "Shop"}) {
                        assertEquals(200, get(web.port(), "/api/modules/" + module, "Bearer " + apiToken).statusCode());
                    }

                    assertEquals(401, get(web.port(), "/metrics", null).statusCode(), "no token");
                    assertEquals(401, get(web.port(), "/metrics", "Bearer " + apiToken).statusCode(), "an API token is not a metrics token");
                    assertEquals(401, get(web.port(), "/metrics", basic("admin", "correct horse battery staple")).statusCode(),
                            "nor is a password");
                    assertEquals(401, get(web.port(), "/api/status", "Bearer " + scraper).statusCode(), "a metrics token reads nothing else");

                    var response = get(web.port(), "/metrics", "Bearer " + scraper);
                    assertEquals(200, response.statusCode(), response.body());
                    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
                    var samples = parse(response.body());
                    assertEquals(1.0, samples.get("modprep_runs{status=\"failed\"}"), "the run finished with errors");
                    assertEquals(0.0, samples.get("modprep_runs{status=\"running\"}"));
                    assertEquals(0.0, samples.get("modprep_claims_waiting"));
                    double modules = samples.entrySet().stream().filter(e -> e.getKey().startsWith("modprep_modules{"))
                            .mapToDouble(Map.Entry::getValue).sum();
                    assertEquals(4.0, modules, "every module once, by its status for 11.17.0");
                    assertEquals(1.0, samples.get("modprep_modules{status=\"failed\"}"));
                    assertEquals(4.0, samples.get("modprep_group_seconds_count"), "four groups of one, timed");
                    assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("modprep_group_seconds_bucket{le=")), "a histogram");
                    assertTrue(samples.get("modprep_compile_batch_seconds_count") >= 1);
                    assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("modprep_compile_batch_seconds_bucket{le=")));
                    assertEquals(3.0, samples.get("modprep_http_requests_seconds_count{method=\"GET\",route=\"/api/modules/{name}\",status=\"200\"}"),
                            "three module requests, one series");
                    assertFalse(response.body().contains("route=\"/api/modules/Core\""), "never labelled by path");
                    assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("hikaricp_connections{")), "the pool");
                    assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{")), "the JVM");
                } finally {
                    web.stop();
                }
            }
        }
    }

    @Test
    void claims_waiting_are_counted_on_the_database_clock_whatever_the_scraped_nodes_clock_says_L1() throws Exception {
        var env = new TestEnvironment("11.16.1").module("Core").module("Web", "Core");
        var hour = Duration.ofHours(1);
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            app.accounts().add("admin", Role.ADMINISTRATOR, "correct horse battery staple");
            String scraper = app.tokens().create("admin", "prometheus", "test", modprep.access.ApiTokens.DEFAULT_LIFETIME, TokenScope.METRICS);
            long run = app.preparations().upgrade("11.17.0", "alice").runId();
            assertEquals(run, new modprep.preparation.Leases(app.database(), app.clock()).claim(), "a live lease on the run");
            // Two nodes of the installation, one an hour ahead and one an hour behind, each scraped.
            try (var ahead = new modprep.Modprep(app.database(), java.time.Clock.offset(java.time.Clock.systemUTC(), hour), 1);
                 var behind = new modprep.Modprep(app.database(), java.time.Clock.offset(java.time.Clock.systemUTC(), hour.negated()), 1)) {
                var webAhead = new WebApp(ahead, () -> { }).create().start("127.0.0.1", 0);
                var webBehind = new WebApp(behind, () -> { }).create().start("127.0.0.1", 0);
                try {
                    assertEquals(0.0, claimsWaiting(webAhead.port(), scraper), "the node ahead does not count the live lease as expired");
                    var p = modprep.db.schema.Tables.PREPARATION_RUN;
                    app.database().dsl().update(p).set(p.LEASE_EXPIRES_AT, org.jooq.impl.DSL.currentOffsetDateTime()
                            .minus(org.jooq.types.DayToSecond.valueOf(Duration.ofSeconds(1)))).where(p.ID.eq(run)).execute();
                    assertEquals(1.0, claimsWaiting(webBehind.port(), scraper), "the node behind counts the lease expired by the database's clock");
                    assertEquals(1.0, claimsWaiting(webAhead.port(), scraper));
                } finally {
                    webAhead.stop();
                    webBehind.stop();
                }
            }
        }
    }

    private static double claimsWaiting(int port, String scraper) throws Exception {
        var response = get(port, "/metrics", "Bearer " + scraper);
        assertEquals(200, response.statusCode(), response.body());
        return parse(response.body()).get("modprep_claims_waiting");
    }

    /** Prometheus' text format: every sample line, by series (name and labels as written), to its value. */
    static Map<String, Double> parse(String text) {
        var samples = new LinkedHashMap<String, Double>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            var m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line of Prometheus' text format: " + line);
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(4)));
        }
        return samples;
    }

    private static HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
