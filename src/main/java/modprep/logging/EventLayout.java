package modprep.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.util.LinkedHashMap;
import java.util.Map;

/** A layout of one event a line: the text and the JSON lines show the same fields, in the same order. */
abstract class EventLayout extends LayoutBase<ILoggingEvent> {
    private final String node;

    /** @param node shown on each line when given (several nodes writing to one place); null: not shown */
    EventLayout(String node) {
        this.node = node;
    }

    @Override
    public final String doLayout(ILoggingEvent event) {
        var mdc = event.getMDCPropertyMap();
        var fields = new LinkedHashMap<String, String>();
        for (String field : LogFields.SHOWN) {
            String value = field.equals(LogFields.NODE) ? node : mdc.get(field);
            if (value != null) {
                fields.put(field, value);
            }
        }
        return layout(event, fields);
    }

    /** The event's line, with the fields present (node, run_id, group, module, request_id), in their order. */
    abstract String layout(ILoggingEvent event, Map<String, String> fields);
}
