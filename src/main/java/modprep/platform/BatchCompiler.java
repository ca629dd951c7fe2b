package modprep.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles many independent units in as few javac tasks as possible, which is where the speed is, and
 * still gives each module exactly the result it would get alone: a task that fails is split, a unit
 * with errors is compiled alone to pin its errors on it, and a unit that used a class it may not see
 * (one that only shared the task's class path) is compiled alone too.
 */
public final class BatchCompiler {
    private final JavaSourceCompiler compiler;

    public BatchCompiler(JavaSourceCompiler compiler) {
        this.compiler = compiler;
    }

    /** Compiles the units, which must not depend on one another; returns an outcome per module. */
    public Map<String, ModuleOutcome> compile(List<CompileUnit> units) {
        var outcomes = new LinkedHashMap<String, ModuleOutcome>();
        compileBatch(units, outcomes);
        return outcomes;
    }

    private void compileBatch(List<CompileUnit> batch, Map<String, ModuleOutcome> outcomes) {
        if (batch.isEmpty()) {
            return;
        }
        if (batch.size() == 1) {
            compileAlone(batch.get(0), outcomes);
            return;
        }
        var modules = batch.stream().flatMap(u -> u.modules().stream()).toList();
        var result = compiler.compile(modules, unionOf(batch));
        if (result.succeeded()) {
            var owners = ownersOf(batch, result.classesByModule());
            for (var unit : batch) {
                if (usesOnlyWhatItMaySee(unit, result.classesByModule(), owners)) {
                    unit.moduleNames().forEach(m -> outcomes.put(m, ModuleOutcome.compiled(result.classesByModule().get(m))));
                } else {
                    compileAlone(unit, outcomes);
                }
            }
            return;
        }
        var failing = new HashSet<String>();
        result.errors().forEach(e -> failing.add(e.module()));
        var suspects = batch.stream().filter(u -> u.moduleNames().stream().anyMatch(failing::contains)).toList();
        if (suspects.isEmpty() || suspects.size() == batch.size()) {
            // Errors not tied to one unit, or in every unit: halve until each is pinned.
            int half = batch.size() / 2;
            compileBatch(batch.subList(0, half), outcomes);
            compileBatch(batch.subList(half, batch.size()), outcomes);
            return;
        }
        suspects.forEach(unit -> compileAlone(unit, outcomes));
        compileBatch(batch.stream().filter(u -> !suspects.contains(u)).toList(), outcomes);
    }

    private void compileAlone(CompileUnit unit, Map<String, ModuleOutcome> outcomes) {
        var result = compiler.compile(unit.modules(), unit.classPath());
        if (result.succeeded()) {
            result.classesByModule().forEach((m, classes) -> outcomes.put(m, ModuleOutcome.compiled(classes)));
            return;
        }
        var names = unit.moduleNames();
        var errorsByModule = new HashMap<String, List<CompileDiagnostic>>();
        for (var error : result.errors()) {
            // An error javac could not tie to a file falls on every module of the unit.
            for (String m : error.module() == null ? names : List.of(error.module())) {
                errorsByModule.computeIfAbsent(m, k -> new ArrayList<>()).add(error);
            }
        }
        var failing = names.stream().filter(errorsByModule::containsKey).toList();
        for (String m : names) {
            outcomes.put(m, errorsByModule.containsKey(m)
                    ? ModuleOutcome.failed(errorsByModule.get(m)) : ModuleOutcome.blocked(failing));
        }
    }

    private static List<ClassFiles> unionOf(List<CompileUnit> batch) {
        var byOwner = new LinkedHashMap<String, ClassFiles>();
        batch.forEach(unit -> unit.classPath().forEach(jar -> byOwner.putIfAbsent(jar.owner(), jar)));
        return List.copyOf(byOwner.values());
    }

    /** Internal class name to the owner that defines it, over the shared class path and the outputs. */
    private static Map<String, String> ownersOf(List<CompileUnit> batch, Map<String, ClassFiles> outputs) {
        var owners = new HashMap<String, String>();
        for (var jar : unionOf(batch)) {
            jar.paths().forEach(p -> owners.putIfAbsent(internalName(p), jar.owner()));
        }
        outputs.values().forEach(jar -> jar.paths().forEach(p -> owners.put(internalName(p), jar.owner())));
        return owners;
    }

    private static boolean usesOnlyWhatItMaySee(CompileUnit unit, Map<String, ClassFiles> outputs,
                                                Map<String, String> owners) {
        Set<String> visible = new HashSet<>(unit.moduleNames());
        unit.classPath().forEach(jar -> visible.add(jar.owner()));
        for (String module : unit.moduleNames()) {
            for (byte[] classFile : outputs.get(module).classes().values()) {
                for (String referenced : ClassReferences.of(classFile)) {
                    String owner = owners.get(referenced);
                    if (owner != null && !visible.contains(owner)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static String internalName(String classPath) {
        return classPath.substring(0, classPath.length() - ".class".length());
    }
}
