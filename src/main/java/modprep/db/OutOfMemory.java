package modprep.db;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * An OutOfMemoryError in a modprep process ends it at once, with one line that says so and what to do, as
 * {@code -XX:+ExitOnOutOfMemoryError} would without the words: wherever it shows (an uncaught error, the
 * command's, javac's, a compile thread's, a worker's or a heartbeat's, a request's). Going on would be worse:
 * javac, H2 and the worker threads each told it their own way (a compiler bug to report, a closed database, a
 * run stopped on an internal error, marked failed for what was this process's heap). Ending at once is what a
 * SIGKILL does, which every run, compile batch and deployment survives: the next command or server goes on.
 *
 * <p>Only in a process started by {@code modprep.Main} ({@link #install}): tests that run modprep inside
 * their own JVM are not ended by it.
 */
public final class OutOfMemory {
    private static final AtomicBoolean ENDING = new AtomicBoolean();
    private static final String HEAP = "Java heap space";
    /** Said when even the line cannot be made. */
    private static final String FALLBACK = "modprep: out of memory; start it again with a larger heap (JAVA_OPTS=-Xmx…)";

    private static volatile boolean installed;
    private static volatile boolean serving;
    private static volatile int exitCode;
    /** The line for the heap, made while there is room to make it. */
    private static volatile String heapLine;
    /** The heap's line and the fallback as standard error's bytes, and standard error itself, made at install: printing
     * them is one native write that needs no heap, so that the line comes out exactly once (println may run out after
     * writing, or before). */
    private static volatile byte[] heapLineBytes;
    private static volatile byte[] fallbackBytes;
    private static volatile FileOutputStream standardError;
    /** Given back when ending, so that the line can be logged or printed: a heap just out of room may not have that. */
    private static volatile byte[] reserve;

    private OutOfMemory() {
    }

    /** From now on an OutOfMemoryError ends this process with {@code exitCode}; a server logs the line, a command prints it. */
    public static void install(boolean server, int code) {
        serving = server;
        exitCode = code;
        heapLine = told(line(HEAP, Runtime.getRuntime().maxMemory(), server));
        heapLineBytes = bytes(heapLine);
        fallbackBytes = bytes(FALLBACK);
        standardError = new FileOutputStream(FileDescriptor.err);
        reserve = new byte[256 * 1024];
        installed = true;
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            endIfIn(e);
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            e.printStackTrace();
        });
    }

    /** Ends the process if {@code e} is, or was caused by, an OutOfMemoryError; else returns. */
    public static void endIfIn(Throwable e) {
        if (!installed) {
            return;
        }
        OutOfMemoryError found;
        try {
            found = find(e);
        } catch (OutOfMemoryError whileLooking) { // the causes' suppressed ones are copied out
            found = whileLooking;
        }
        if (found == null) {
            return;
        }
        if (!ENDING.compareAndSet(false, true)) {
            // Another thread found it first and ends the process once it has said so; if that does not come, this one does.
            long until = System.nanoTime() + 2_000_000_000L;
            for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
            }
            Runtime.getRuntime().halt(exitCode);
        }
        reserve = null;
        try {
            String what = found.getMessage();
            if (serving) {
                String line = what == null || what.equals(HEAP) ? heapLine : line(what, Runtime.getRuntime().maxMemory(), true);
                LoggerFactory.getLogger(OutOfMemory.class).error(line); // not at the start of every command
            } else {
                print(what == null || what.equals(HEAP) ? heapLineBytes : bytes(told(line(what, Runtime.getRuntime().maxMemory(), false))));
            }
        } catch (Throwable stillOut) { // before anything was printed: the line is made before it is written
            print(fallbackBytes);
        } finally {
            Runtime.getRuntime().halt(exitCode);
        }
    }

    private static void print(byte[] line) {
        try {
            standardError.write(line);
        } catch (IOException | RuntimeException | Error e) {
            // nowhere left to say it: the exit code does
        }
    }

    private static byte[] bytes(String line) {
        return (line + System.lineSeparator()).getBytes(Charset.defaultCharset());
    }

    /** A server logs the line as it is; a command prints it as its other errors. */
    private static String told(String line) {
        return serving ? line : "modprep: " + line;
    }

    /** Causes looked through, at most: a chain that loops would otherwise never end. */
    private static final int DEPTH = 32;

    static OutOfMemoryError find(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth++ < DEPTH; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        depth = 0;
        for (Throwable t = e; t != null && depth++ < DEPTH; t = t.getCause()) {
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof OutOfMemoryError oom) {
                    return oom;
                }
            }
        }
        return null;
    }

    /** What the operator reads: which memory ran out, what is kept, and, for the heap, how to give more. */
    static String line(String what, long maxHeap, boolean server) {
        long mb = maxHeap / (1024 * 1024);
        boolean heap = what.contains("heap") || what.contains("GC overhead");
        String hint = heap ? " Give it a larger heap than its " + mb + " MB: JAVA_OPTS=-Xmx" + Math.max(256, 2 * mb) + "m." : "";
        return "out of memory (" + what + "): "
                + (server ? "the server stops. " : "the command stops. ")
                + "What was committed is kept, and a run in progress goes on with `modprep prepare` or when a server starts."
                + hint;
    }
}
