package modprep.logging;

import java.util.List;
import org.slf4j.MDC;

/**
 * The fields a log line carries besides its message, kept in SLF4J's MDC by whoever does the work: the
 * worker (run, group, module), the console (request). Threads are pooled, so whoever sets a field
 * removes it when its unit of work ends: {@code try (var f = LogFields.put(RUN, id)) { … }}.
 */
public final class LogFields implements AutoCloseable {
    public static final String RUN = "run_id";
    public static final String GROUP = "group";
    public static final String MODULE = "module";
    public static final String REQUEST = "request_id";
    /** Not in the MDC (threads do not inherit it): every line of the process carries its node's name. */
    public static final String NODE = "node";
    /** In the order log lines show them. */
    static final List<String> SHOWN = List.of(NODE, RUN, GROUP, MODULE, REQUEST);

    private final String key;
    private final String previous;

    private LogFields(String key, String previous) {
        this.key = key;
        this.previous = previous;
    }

    /** Sets a field until the returned scope closes, when the field's previous value (or none) comes back. */
    public static LogFields put(String key, Object value) {
        String previous = MDC.get(key);
        MDC.put(key, String.valueOf(value));
        return new LogFields(key, previous);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
