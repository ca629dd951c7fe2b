package modprep.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Where and how the process logs: standard error, one event per line, as text or JSON. Set up in code
 * (no logback.xml to parse at each start of a command); an operator's own file, given with
 * {@code -Dlogback.configurationFile=…}, takes precedence over all of it.
 */
public final class Logging {
    /** The libraries' chatter an operator does not need: their warnings only. */
    private static final Map<String, Level> QUIET = Map.of(
            // A database that cannot be opened or written (a full disk) is reported once, clearly, by the
            // command: the migration tool's own stack traces would bury it.
            "org.flywaydb", Level.OFF,
            "com.zaxxer.hikari", Level.WARN,
            "org.eclipse.jetty", Level.WARN,
            "org.jooq", Level.WARN,
            "org.thymeleaf", Level.WARN);

    /** The set-up in place (format, level, node), so that asking for it again costs nothing. */
    private static volatile String current;

    private Logging() {
    }

    /**
     * Sets Logback up now, on another thread (0.1-0.2 s): a command that lives a second or two has it done
     * while it reads its command line and opens the database.
     */
    public static void startEarly() {
        var thread = new Thread(LoggerFactory::getILoggerFactory, "modprep-logging");
        thread.setDaemon(true);
        early = thread;
        thread.start();
    }

    /** The thread setting Logback up, if any: until it is done, SLF4J hands out a stand-in factory. */
    private static volatile Thread early;

    /**
     * Sets the format and level of every log line of this process.
     *
     * @param level error, warn, info, debug, trace or off
     * @param nodeName this process's name, on each line (JSON: always, the host name when null; text: when given)
     */
    public static void configure(LogFormat format, String level, String nodeName) {
        Level root = level(level);
        if (System.getProperty("logback.configurationFile") != null) {
            return;
        }
        String wanted = format + " " + root + " " + nodeName;
        Thread starting = early;
        if (starting != null) {
            try {
                starting.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (wanted.equals(current) || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // already so; or another SLF4J binding than Logback, which logs as it is set up
        }
        String node = nodeName != null || format == LogFormat.TEXT ? nodeName : hostName();
        apply(context, format == LogFormat.JSON ? new JsonLayout(node) : new TextLayout(node), root);
        current = wanted;
    }

    /** The level named, or an error that says which levels there are. */
    public static Level level(String name) {
        String wanted = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
        for (String known : new String[] {"ERROR", "WARN", "INFO", "DEBUG", "TRACE", "OFF"}) {
            if (known.equals(wanted)) {
                return Level.toLevel(known);
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a log level (allowed: error, warn, info, debug, trace, off)");
    }

    static void apply(LoggerContext context, Layout<ILoggingEvent> layout, Level root) {
        var rootLogger = context.getLogger(Logger.ROOT_LOGGER_NAME);
        rootLogger.detachAndStopAllAppenders();
        layout.setContext(context);
        layout.start();
        var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        var console = new ConsoleAppender<ILoggingEvent>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        rootLogger.addAppender(console);
        rootLogger.setLevel(root);
        QUIET.forEach((name, quiet) -> context.getLogger(name).setLevel(quiet));
        // A command (warn and above) reports a database it cannot open itself: the pool's account would bury it.
        if (root.isGreaterOrEqual(Level.WARN)) {
            context.getLogger("com.zaxxer.hikari").setLevel(Level.OFF);
        }
    }

    /** Before the command line is read: a command's warnings, as text. */
    static void configureDefault(LoggerContext context) {
        apply(context, new TextLayout(null), Level.WARN);
        current = LogFormat.TEXT + " " + Level.WARN + " " + null;
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
