package modprep.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per line, for log collectors: timestamp (ISO-8601, UTC), level, logger, thread,
 * node, the fields present (run_id, group, module, request_id), message, and exception (its stack
 * trace as one string) when there is one.
 */
final class JsonLayout extends EventLayout {
    private static final JsonFactory JSON = new JsonFactory();

    JsonLayout(String node) {
        super(node);
    }

    @Override
    String layout(ILoggingEvent event, Map<String, String> fields) {
        var out = new StringWriter(256);
        try (var json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            for (var field : fields.entrySet()) {
                json.writeStringField(field.getKey(), field.getValue());
            }
            json.writeStringField("message", event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                json.writeStringField("exception", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.append('\n').toString();
    }
}
