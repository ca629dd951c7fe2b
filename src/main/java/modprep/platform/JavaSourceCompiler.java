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
        boolean ok = javac.getTask(null, fileManager, diagnostics, OPTIONS, null, sources).call();
        var errors = errorsOf(diagnostics, modules);
        if (!ok && errors.isEmpty()) {
            errors.add(new CompileDiagnostic(modules.get(0).module(), null, 0, "javac failed without a diagnostic"));
        }
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
