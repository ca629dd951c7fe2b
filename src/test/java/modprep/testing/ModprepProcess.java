package modprep.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import modprep.db.Database;
import org.jooq.DSLContext;

/**
 * The packaged modprep (the jar named by the system property {@code modprep.jar}, built by
 * {@code package} before the *IT tests run) as a child process: a command run to its end, or a command
 * left running (a server, a run to kill) whose output is read as it comes.
 */
public final class ModprepProcess implements AutoCloseable {
    public static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern CONSOLE = Pattern.compile("modprep console on http://localhost:(\\d+)/");

    /** A finished command: its exit code and what it printed. */
    public record Done(int exitCode, String out, String err) {
        /** Its output, for assertion messages. */
        public String output() {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("modprep.jar", "target/modprep.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("the packaged jar " + jar + " is missing: run `mvn verify`");
        }
        return jar;
    }

    /**
     * {@code target/modprep ARGS}: the build's launcher next to the jar, as a user runs it (its class-data
     * sharing archive takes about 0.8 s off each start), or {@code java -jar modprep.jar ARGS} without one.
     * The launcher ends by exec'ing the JVM, so the process is modprep's own: a kill reaches it.
     */
    public static ProcessBuilder command(String... args) {
        var command = new ArrayList<String>(launch());
        command.addAll(List.of(args));
        return withJavaHome(new ProcessBuilder(command));
    }

    /** The same, started by bash after a shell command ({@code ulimit -f 100}, for instance). */
    public static ProcessBuilder commandAfter(String shell, String... args) {
        var line = new StringBuilder(shell).append("; exec");
        var command = new ArrayList<String>(launch());
        command.addAll(List.of(args));
        for (String arg : command) {
            line.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return withJavaHome(new ProcessBuilder("bash", "-c", line.toString()));
    }

    private static List<String> launch() {
        Path launcher = jar().resolveSibling("modprep");
        return Files.isRegularFile(launcher) ? List.of("sh", launcher.toString()) : List.of(java(), "-jar", jar().toString());
    }

    /** The launcher runs $JAVA_HOME's java: the one running the tests. */
    private static ProcessBuilder withJavaHome(ProcessBuilder builder) {
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code modprep ARGS} to its end. */
    public static Done run(String... args) {
        return run(command(args));
    }

    /** Runs {@code modprep ARGS} with these environment variables (say, a database password) to its end. */
    public static Done run(Map<String, String> environment, String... args) {
        var command = command(args);
        command.environment().putAll(environment);
        return run(command);
    }

    /** Runs a command to its end, its output kept in temporary files. */
    public static Done run(ProcessBuilder command) {
        try {
            Path out = Files.createTempFile("modprep-out", ".txt");
            Path err = Files.createTempFile("modprep-err", ".txt");
            try {
                var process = command.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(command.command() + " did not end within " + COMMAND_TIMEOUT);
                }
                return new Done(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads a data folder's database in this JVM, the way a test looks at what a child process left. */
    public static <T> T read(Path data, Function<DSLContext, T> query) {
        try (var database = Database.open(data)) {
            return query.apply(database.dsl());
        }
    }

    /** Copies a data folder (no process may have it open). */
    public static Path copy(Path source, Path target) {
        try (var files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(source.relativize(file).toString()));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // A running command.

    public final Process process;
    private final List<String> out = Collections.synchronizedList(new ArrayList<>());
    private final List<String> err = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> readers;

    private ModprepProcess(Process process) {
        this.process = process;
        readers = List.of(reader(process.getInputStream(), out, "modprep-out"), reader(process.getErrorStream(), err, "modprep-err"));
    }

    /** Starts {@code modprep ARGS} with these environment variables, and reads its output as it comes. */
    public static ModprepProcess start(Map<String, String> environment, String... args) {
        var builder = command(args);
        builder.environment().putAll(environment);
        try {
            return new ModprepProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a command made by {@link #command} or {@link #commandAfter} (wrapped, say, in {@code unshare}), and reads its output. */
    public static ModprepProcess start(ProcessBuilder command) {
        try {
            return new ModprepProcess(command.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Thread reader(java.io.InputStream stream, List<String> lines, String name) {
        var thread = new Thread(() -> {
            try (var in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Once the process ended: waits for its last lines to be read, so that out() and err() hold all it printed. */
    private void drain() throws InterruptedException {
        for (Thread reader : readers) {
            reader.join(TimeUnit.SECONDS.toMillis(30)); // bounds a hang only: the pipes close with the process
        }
    }

    private void drainQuietly() {
        try {
            drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public List<String> out() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    public List<String> err() {
        synchronized (err) {
            return List.copyOf(err);
        }
    }

    /** Waits until a line of its standard output matches, and returns that line. */
    public String awaitLine(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ended = !process.isAlive();
            if (ended) {
                drainQuietly(); // its last lines may still be in the pipe
            }
            for (String line : out()) {
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            if (ended) {
                throw new AssertionError("ended (exit " + process.exitValue() + ") before printing " + pattern + ":\n" + out() + "\n" + err());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line matching " + pattern + " within " + timeout + ":\n" + out() + "\n" + err());
            }
            pause(10);
        }
    }

    /** The port of {@code modprep serve}, once it says where its console is. */
    public int consolePort() {
        var matcher = CONSOLE.matcher(awaitLine(CONSOLE, Duration.ofMinutes(2)));
        matcher.find();
        return Integer.parseInt(matcher.group(1));
    }

    /** Waits for the command to end by itself; returns its exit code. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("did not end within " + timeout + ":\n" + out() + "\n" + err());
            }
            drain();
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is released. Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM (a server's Ctrl+C), then SIGKILL if it does not stop within 30 s; then its last lines are read. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
            drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
