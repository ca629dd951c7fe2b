package modprep.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import modprep.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** What an operator's log collector and an operator reading the log get: one event per line, with its fields. */
class LoggingTest {
    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private List<String> logged(LogFormat format, String node, Runnable logging) {
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Logging.configure(format, "info", node);
            logging.run();
        } finally {
            System.setErr(realErr);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @AfterEach
    void back_to_the_commands_default() {
        Logging.configure(LogFormat.TEXT, "warn", null);
        MDC.clear();
    }

    private static void logAFailureInAGroup() {
        var log = LoggerFactory.getLogger("modprep.preparation.Worker");
        try (var run = LogFields.put(LogFields.RUN, 7); var group = LogFields.put(LogFields.GROUP, 3);
             var module = LogFields.put(LogFields.MODULE, "Billing"); var request = LogFields.put(LogFields.REQUEST, "abc-1")) {
            log.error("stopped on\nan internal error", new IllegalStateException("boom"));
        }
        log.info("after the group");
    }

    @Test
    void json_lines_are_one_object_per_event_with_the_run_group_module_node_and_request_as_fields() throws Exception {
        var lines = logged(LogFormat.JSON, "node-a", LoggingTest::logAFailureInAGroup);
        assertEquals(2, lines.size(), "an event with a multi-line message and a stack trace is still one line: " + lines);
        JsonNode failure = Json.MAPPER.readTree(lines.get(0));
        assertEquals("ERROR", failure.get("level").asText());
        assertEquals("modprep.preparation.Worker", failure.get("logger").asText());
        assertEquals("node-a", failure.get("node").asText());
        assertEquals("7", failure.get("run_id").asText());
        assertEquals("3", failure.get("group").asText());
        assertEquals("Billing", failure.get("module").asText());
        assertEquals("abc-1", failure.get("request_id").asText());
        assertEquals("stopped on\nan internal error", failure.get("message").asText());
        assertTrue(failure.get("exception").asText().startsWith("java.lang.IllegalStateException: boom"), failure.toString());
        assertTrue(java.time.Instant.parse(failure.get("timestamp").asText()).isAfter(java.time.Instant.EPOCH));
        JsonNode after = Json.MAPPER.readTree(lines.get(1));
        assertFalse(after.has("run_id") || after.has("group") || after.has("module") || after.has("request_id"),
                "the fields end with their scope: " + after);
        assertNull(MDC.get(LogFields.RUN));
    }

    @Test
    void text_lines_show_the_fields_present_and_escape_line_breaks_so_that_a_message_cannot_forge_a_line() {
        var lines = logged(LogFormat.TEXT, null, LoggingTest::logAFailureInAGroup);
        String failure = lines.get(0);
        assertTrue(failure.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR \\[[^]]+] Worker run_id=7 group=3 "
                + "module=Billing request_id=abc-1 - stopped on\\\\nan internal error"), failure);
        assertEquals("java.lang.IllegalStateException: boom", lines.get(1), "the stack trace follows its event");
        String after = lines.stream().filter(l -> l.contains("after the group")).findFirst().orElseThrow();
        assertTrue(after.endsWith(" INFO  [" + Thread.currentThread().getName() + "] Worker - after the group"), after);
    }

    @Test
    void a_level_or_format_that_does_not_exist_is_refused_with_what_is_allowed() {
        var level = assertThrows(IllegalArgumentException.class, () -> Logging.configure(LogFormat.TEXT, "loud", null));
        assertEquals("'loud' is not a log level (allowed: error, warn, info, debug, trace, off)", level.getMessage());
        var format = assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("xml"));
        assertEquals("'xml' is not a log format (allowed: text, json)", format.getMessage());
        assertEquals(LogFormat.JSON, LogFormat.parse(" JSON "));
    }
}
