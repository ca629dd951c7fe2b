package modprep.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import modprep.cli.ModprepCommand;

/** Runs {@code modprep ARGS} in this JVM, with its output captured and a given standard input. */
public final class InProcessCli {
    private InProcessCli() {
    }

    public record Result(int exitCode, String out, String err) {
    }

    public static Result modprep(String stdin, String... args) {
        return modprep(System.getenv(), stdin, args);
    }

    /** The same, with these environment variables instead of the process's (MODPREP_DATABASE_PASSWORD, say). */
    public static Result modprep(java.util.Map<String, String> env, String stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var stdout = System.out;
        var stderr = System.err;
        var in = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            int exit = ModprepCommand.run(env, args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            System.setIn(in);
        }
    }
}
