package modprep.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * A line for people: local time, level, thread, logger, the fields present, the message. A message's
 * own line breaks are escaped, so that one event is one line (a stack trace follows it, indented).
 */
final class TextLayout extends EventLayout {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    TextLayout(String node) {
        super(node);
    }

    @Override
    String layout(ILoggingEvent event, Map<String, String> fields) {
        var line = new StringBuilder(160);
        line.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ');
        String level = event.getLevel().toString();
        line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
        line.append('[').append(event.getThreadName()).append("] ");
        String logger = event.getLoggerName();
        line.append(logger.substring(logger.lastIndexOf('.') + 1));
        fields.forEach((field, value) -> line.append(' ').append(field).append('=').append(oneLine(value)));
        line.append(" - ").append(oneLine(event.getFormattedMessage())).append(CoreConstants.LINE_SEPARATOR);
        if (event.getThrowableProxy() != null) {
            line.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replace("\r", "\\r").replace("\n", "\\n");
    }
}
