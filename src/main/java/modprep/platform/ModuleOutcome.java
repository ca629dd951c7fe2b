package modprep.platform;

import java.util.List;

/**
 * What compiling one module gave: its classes, or javac's errors, or (inside a reference cycle) the
 * names of the cycle's modules whose errors kept it from compiling.
 */
public record ModuleOutcome(ClassFiles classes, List<CompileDiagnostic> errors, List<String> blockedBy) {
    static ModuleOutcome compiled(ClassFiles classes) {
        return new ModuleOutcome(classes, List.of(), List.of());
    }

    static ModuleOutcome failed(List<CompileDiagnostic> errors) {
        return new ModuleOutcome(null, List.copyOf(errors), List.of());
    }

    static ModuleOutcome blocked(List<String> blockedBy) {
        return new ModuleOutcome(null, List.of(), List.copyOf(blockedBy));
    }

    public boolean succeeded() {
        return classes != null;
    }

    /** javac's errors as it prints them, one per line. */
    public String renderedErrors() {
        return String.join("\n", errors.stream().map(CompileDiagnostic::render).toList());
    }
}
