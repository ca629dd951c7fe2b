package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import modprep.logging.LogFields;
import modprep.testing.TestEnvironment;
import modprep.testing.TestEnvironment.ModuleDef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 10, item 3: every response names its request ({@code X-Request-Id}), the request's log line
 * carries the same id, and an error page shows it, so that what a user reports can be found in the log.
 */
class RequestIdTest {
    @TempDir
    Path dir;

    private final Logger requests = (Logger) LoggerFactory.getLogger("modprep.web.Requests");
    private final ListAppender<ILoggingEvent> log = capture();
    private ConsoleServer server;

    @BeforeEach
    void start() {
        log.start();
        requests.addAppender(log);
        requests.setLevel(Level.INFO);
        var env = new TestEnvironment("11.16.1").add(new ModuleDef("Core", "Platform", true, List.of(), false, Map.of()));
        server = new ConsoleServer(env, env.write(dir.resolve("env")));
    }

    @AfterEach
    void stop() {
        server.close();
        requests.detachAppender(log);
        requests.setLevel(null);
    }

    /** Keeps events, with their MDC read on the thread that logged them (an event reads it lazily otherwise). */
    private static ListAppender<ILoggingEvent> capture() {
        return new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing();
                super.append(event);
            }
        };
    }

    /** The request log lines with this id (the logger writes them once the response is sent). */
    private List<ILoggingEvent> linesOf(String id) {
        TestEnvironment.awaitTrue("the request line of " + id, java.time.Duration.ofSeconds(30),
                () -> List.copyOf(log.list).stream().anyMatch(e -> id.equals(e.getMDCPropertyMap().get(LogFields.REQUEST))));
        return List.copyOf(log.list).stream().filter(e -> id.equals(e.getMDCPropertyMap().get(LogFields.REQUEST))).toList();
    }

    @Test
    void every_response_has_its_own_id_and_its_log_line_names_the_route_template_status_and_that_id() {
        var http = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
        var page = http.get("/modules/Core");
        assertEquals(200, page.status());
        String id = page.header(RequestIds.HEADER);
        assertTrue(id != null && id.matches("[0-9a-f]{16}"), "generated: " + id);
        assertNotEquals(id, http.get("/modules/Core").header(RequestIds.HEADER), "each request has its own");
        var lines = linesOf(id);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).getFormattedMessage().matches("GET /modules/\\{name} 200 \\d+ ms"), lines.get(0).getFormattedMessage());
        var css = http.get("/static/css/modprep.css");
        assertTrue(css.header(RequestIds.HEADER) != null, "static files too: " + css.status());
    }

    @Test
    void a_sane_id_from_the_caller_is_kept_and_anything_else_is_replaced() {
        var http = ConsoleClient.of(server);
        String admin = ConsoleClient.basic(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
        var kept = http.api("GET", "/api/status", null, admin, Map.of(RequestIds.HEADER, "lb-42.Z_x"));
        assertEquals("lb-42.Z_x", kept.header(RequestIds.HEADER));
        assertEquals("GET /api/status 200", linesOf("lb-42.Z_x").get(0).getFormattedMessage().replaceAll(" \\d+ ms$", ""));
        for (String insane : List.of("a b", "x".repeat(65), "<script>", "id;drop", "é")) {
            String replaced = http.api("GET", "/api/status", null, admin, Map.of(RequestIds.HEADER, insane)).header(RequestIds.HEADER);
            assertTrue(replaced.matches("[0-9a-f]{16}"), insane + " was replaced by " + replaced);
        }
        var denied = http.api("GET", "/api/status", null, null, Map.of(RequestIds.HEADER, "no-credentials"));
        assertEquals(401, denied.status());
        assertEquals("GET /api/status 401", linesOf("no-credentials").get(0).getFormattedMessage().replaceAll(" \\d+ ms$", ""),
                "a request refused before its handler is logged too");
    }

    @Test
    void an_internal_error_answers_500_with_the_request_id_and_logs_its_stack_trace_under_that_id() {
        var webApp = (Logger) LoggerFactory.getLogger(WebApp.class);
        var errors = capture();
        errors.start();
        webApp.addAppender(errors);
        webApp.setAdditive(false); // the stack trace is expected: not on the build's output
        try {
            var http = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            server.app.database().close(); // the database goes away under the console
            var page = http.get("/modules");
            assertEquals(500, page.status());
            String id = page.header(RequestIds.HEADER);
            assertTrue(page.body().contains("Something went wrong") && page.body().contains("Request id: <span class=\"request-id font-monospace\">" + id),
                    page.body());
            var api = ConsoleClient.of(server).api("GET", "/api/status", null, ConsoleClient.basic(ConsoleServer.ADMIN, ConsoleServer.PASSWORD));
            assertEquals(500, api.status());
            assertTrue(api.body().contains("request id " + api.header(RequestIds.HEADER)), api.body());
            var logged = List.copyOf(errors.list).stream().filter(e -> id.equals(e.getMDCPropertyMap().get(LogFields.REQUEST))).toList();
            assertEquals(1, logged.size(), "one error line for the request: " + errors.list.stream().map(e -> e.getFormattedMessage() + " " + e.getMDCPropertyMap()).toList());
            assertEquals("internal error answering GET /modules", logged.get(0).getFormattedMessage());
            assertTrue(logged.get(0).getThrowableProxy() != null, "with its stack trace");
        } finally {
            webApp.detachAppender(errors);
            webApp.setAdditive(true);
        }
    }

    @Test
    void error_pages_show_the_request_id_signed_in_and_signed_out() {
        var http = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
        var missing = http.get("/modules/Nope");
        assertEquals(404, missing.status());
        String id = missing.header(RequestIds.HEADER);
        assertTrue(missing.body().contains("Request id: <span class=\"request-id font-monospace\">" + id + "</span>"), missing.body());
        assertTrue(linesOf(id).get(0).getFormattedMessage().startsWith("GET /modules/{name} 404 "));

        var signedOut = ConsoleClient.of(server).get("/static/nope.css");
        assertEquals(404, signedOut.status());
        String bare = signedOut.header(RequestIds.HEADER);
        assertTrue(signedOut.body().contains("Request id: <span class=\"request-id font-monospace\">" + bare + "</span>"), signedOut.body());
    }
}
