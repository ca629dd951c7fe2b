package modprep.platform;

import java.util.List;

/**
 * Modules that compile together (one module, or the modules of a reference cycle) and the class path
 * they may see: the system components and the compilations of their producers, transitively.
 */
public record CompileUnit(List<JavaSourceCompiler.ModuleSources> modules, List<ClassFiles> classPath) {
    public static CompileUnit of(String module, List<SourceFile> sources, List<ClassFiles> classPath) {
        return new CompileUnit(List.of(new JavaSourceCompiler.ModuleSources(module, sources)), classPath);
    }

    public List<String> moduleNames() {
        return modules.stream().map(JavaSourceCompiler.ModuleSources::module).toList();
    }
}
