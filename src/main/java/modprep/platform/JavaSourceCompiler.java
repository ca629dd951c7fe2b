package modprep.platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The JDK's compiler, in process: one javac task over the sources of one or more modules, against a
 * class path held in memory. Each thread keeps its own standard file manager, which caches the JDK's
 * own classes between tasks.
 */
public final class JavaSourceCompiler {
    private static final List<String> OPTIONS = List.of(
            "-proc:none", "-implicit:none", "-g", "-nowarn", "-Xlint:none", "-encoding", "UTF-8", "-Xmaxerrs", "200");

    private final JavaCompiler javac;
    private final ThreadLocal<StandardJavaFileManager> standardFileManagers;

    public JavaSourceCompiler() {
        javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("modprep needs a JDK, not a JRE: no Java compiler found in "
                    + System.getProperty("java.home"));
        }
        standardFileManagers = ThreadLocal.withInitial(
                () -> javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8));
    }

    /** The sources of one module to compile. */
    public record ModuleSources(String module, List<SourceFile> sources) {
    }

    /** The outcome of one task: every module's classes when it succeeded, javac's errors when not. */
    public record TaskResult(Map<String, ClassFiles> classesByModule, List<CompileDiagnostic> errors) {
        public boolean succeeded() {
            return errors.isEmpty();
        }
    }

    /** Compiles every module's sources together in one javac task. */
    public TaskResult compile(List<ModuleSources> modules, List<ClassFiles> classPath) {
        var fileManager = new MemoryFileManager(standardFileManagers.get(), classPath);
        var sources = new ArrayList<MemoryFileManager.SourceInput>();
        var classesByModule = new LinkedHashMap<String, Map<String, byte[]>>();
        for (var module : modules) {
            classesByModule.put(module.module(), new HashMap<>());
            for (var source : module.sources()) {
                sources.add(new MemoryFileManager.SourceInput(module.module(), source));
            }
        }
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        // javac's own output (its diagnostics go to the collector): kept aside, so that a heap too small is told
        // once, by OutOfMemory, not by javac's "please file a bug" first.
        var javacOut = new java.io.StringWriter();
        boolean ok;
        try {
            ok = javac.getTask(javacOut, fileManager, diagnostics, OPTIONS, null, sources).call();
        } catch (RuntimeException | Error e) {
            modprep.db.OutOfMemory.endIfIn(e);
            System.err.print(javacOut);
            throw e;
        }
        var errors = errorsOf(diagnostics, modules);
        if (!ok && errors.isEmpty()) {
            // javac catches an error of its own, an out-of-memory too, prints its report and returns false: a heap
            // too small is not the modules' failure. (With an error already reported it prints nothing and the task
            // fails on that error, as it would have anyway.)
            var outOfMemory = outOfMemory(javacOut.toString());
            if (outOfMemory != null) {
                modprep.db.OutOfMemory.endIfIn(outOfMemory);
                throw outOfMemory;
            }
            errors.add(new CompileDiagnostic(modules.get(0).module(), null, 0, "javac failed without a diagnostic"));
        }
        System.err.print(javacOut);
        if (!errors.isEmpty()) {
            return new TaskResult(Map.of(), errors);
        }
        fileManager.outputs().forEach((path, output) -> {
            var source = (MemoryFileManager.SourceInput) output.sibling;
            classesByModule.get(source.module).put(path, output.bytes());
        });
        var result = new LinkedHashMap<String, ClassFiles>();
        classesByModule.forEach((module, classes) -> result.put(module, new ClassFiles(module, Map.copyOf(classes))));
        return new TaskResult(result, List.of());
    }

    /** The out-of-memory error in javac's report of an error it caught ("java.lang.OutOfMemoryError: Java heap space"), or null. */
    static OutOfMemoryError outOfMemory(String javacReport) {
        String name = OutOfMemoryError.class.getName();
        int at = javacReport.indexOf(name);
        if (at < 0) {
            return null;
        }
        String line = javacReport.substring(at + name.length()).lines().findFirst().orElse("");
        return new OutOfMemoryError(line.startsWith(": ") ? line.substring(2).strip() : "Java heap space");
    }

    private static List<CompileDiagnostic> errorsOf(DiagnosticCollector<JavaFileObject> diagnostics,
                                                    List<ModuleSources> modules) {
        var errors = new ArrayList<CompileDiagnostic>();
        for (var d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            String message = d.getMessage(Locale.ROOT);
            if (d.getSource() instanceof MemoryFileManager.SourceInput source) {
                errors.add(new CompileDiagnostic(source.module, source.path, d.getLineNumber(), message));
            } else {
                // Not tied to a file (a clash between modules, a bad option): charge the whole task.
                errors.add(new CompileDiagnostic(modules.size() == 1 ? modules.get(0).module() : null,
                        null, 0, message));
            }
        }
        return errors;
    }
}
