import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

/**
 * The limit, in process: one javac task over every source at once through the JDK's compiler API
 * ({@code ToolProvider.getSystemJavaCompiler()}), as modprep calls it, with the same options as the
 * single {@code javac} process of bench/run.sh. Prints how long the compiler took inside the process
 * (from looking the compiler up to the task's end); bench/run.sh times the whole process around it.
 * With REPEAT, the same task runs that many times in one process, a line each: the later ones are the
 * compiler in a warm JVM, as in a console that has worked before (bench/speed.sh).
 *
 * <p>Usage: {@code java SingleCompile FILES OUT [REPEAT]} where FILES lists one source path a line.
 */
public final class SingleCompile {
    public static void main(String[] args) throws Exception {
        List<String> files = Files.readAllLines(Path.of(args[0])).stream().filter(l -> !l.isBlank()).toList();
        int repeat = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        for (int i = 0; i < repeat; i++) {
            compile(files, args[1]);
        }
    }

    private static void compile(List<String> files, String out) throws Exception {
        long started = System.nanoTime();
        var javac = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        boolean ok;
        try (var fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            var options = List.of("-proc:none", "--release", "17", "-encoding", "UTF-8", "-g", "-nowarn", "-d", out);
            ok = javac.getTask(null, fileManager, diagnostics, options, null, fileManager.getJavaFileObjectsFromStrings(files)).call();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (!ok) {
            diagnostics.getDiagnostics().stream().limit(20).forEach(d -> System.err.println(d));
            System.exit(1);
        }
        System.out.printf("inside_ms=%d files=%d%n", millis, files.size());
    }
}
