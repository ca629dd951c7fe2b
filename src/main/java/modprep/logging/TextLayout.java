package modprep.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A line for people: local time, level, thread, logger, the fields present, the message. A message's
 * own line breaks are escaped, so that one event is one line (a stack trace follows it, indented).
 */
final class TextLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private final String node;

    /** @param node shown on each line when given (several nodes writing to one place); null: not shown */
    TextLayout(String node) {
        this.node = node;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        var line = new StringBuilder(160);
        line.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ');
        String level = event.getLevel().toString();
        line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
        line.append('[').append(event.getThreadName()).append("] ");
        String logger = event.getLoggerName();
        line.append(logger.substring(logger.lastIndexOf('.') + 1));
        var mdc = event.getMDCPropertyMap();
        for (String field : LogFields.SHOWN) {
            String value = field.equals(LogFields.NODE) ? node : mdc.get(field);
            if (value != null) {
                line.append(' ').append(field).append('=').append(oneLine(value));
            }
        }
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
