package modprep.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCompilerTest {
    private final JavaSourceCompiler javac = new JavaSourceCompiler();
    private final BatchCompiler compiler = new BatchCompiler(javac);
    private final PlatformCatalog catalog = new PlatformCatalog();

    private ClassFiles system(String version) {
        var sources = catalog.systemSources(PlatformVersion.parseOrNull(version));
        var result = javac.compile(List.of(new JavaSourceCompiler.ModuleSources(ClassFiles.SYSTEM, sources)), List.of());
        return result.classesByModule().get(ClassFiles.SYSTEM);
    }

    private static SourceFile source(String pkg, String cls, String body) {
        return new SourceFile("src/" + pkg.replace('.', '/') + "/" + cls + ".java",
                "package " + pkg + ";\n\nimport platform.system.*;\n\npublic class " + cls + " {\n" + body + "\n}\n");
    }

    @Test
    void a_module_calling_findByName_compiles_for_11_16_1_and_fails_for_11_17_0_with_javacs_message() {
        var src = List.of(source("app.a", "A", "    public static long id() { return Users.findByName(\"x\"); }"));
        var ok = compiler.compile(List.of(CompileUnit.of("A", src, List.of(system("11.16.1")))));
        assertTrue(ok.get("A").succeeded());
        assertTrue(ok.get("A").classes().paths().contains("app/a/A.class"));

        var failed = compiler.compile(List.of(CompileUnit.of("A", src, List.of(system("11.17.0"))))).get("A");
        assertFalse(failed.succeeded());
        var error = failed.errors().get(0);
        assertEquals("src/app/a/A.java", error.file());
        assertEquals(6, error.line());
        assertTrue(error.message().contains("cannot find symbol"), error.message());
        assertTrue(failed.renderedErrors().startsWith("src/app/a/A.java:6: error: cannot find symbol"), failed.renderedErrors());
    }

    @Test
    void a_failing_module_in_a_batch_is_pinned_and_the_others_still_compile() {
        var sys = system("11.17.0");
        var units = List.of(
                CompileUnit.of("Good1", List.of(source("g1", "G", "public static int x() { return 1; }")), List.of(sys)),
                CompileUnit.of("Bad", List.of(source("b", "B", "public static long x() { return Users.findByName(\"x\"); }")), List.of(sys)),
                CompileUnit.of("Good2", List.of(source("g2", "G", "public static long x() { return Users.findByUsername(\"x\"); }")), List.of(sys)));
        var outcomes = compiler.compile(units);
        assertTrue(outcomes.get("Good1").succeeded());
        assertTrue(outcomes.get("Good2").succeeded());
        assertFalse(outcomes.get("Bad").succeeded());
        assertEquals("Bad", outcomes.get("Bad").errors().get(0).module());
    }

    @Test
    void a_module_cannot_use_a_class_that_only_shares_its_batch() {
        var sys = system("11.17.0");
        var producer = javac.compile(List.of(new JavaSourceCompiler.ModuleSources("P",
                List.of(source("p", "P", "public static int v() { return 7; }")))), List.of(sys)).classesByModule().get("P");
        var units = List.of(
                CompileUnit.of("UsesP", List.of(source("u", "U", "public static int v() { return p.P.v(); }")), List.of(sys, producer)),
                CompileUnit.of("Sneaky", List.of(source("s", "S", "public static int v() { return p.P.v(); }")), List.of(sys)));
        var outcomes = compiler.compile(units);
        assertTrue(outcomes.get("UsesP").succeeded());
        assertFalse(outcomes.get("Sneaky").succeeded(), "Sneaky does not reference P and must not see it");
        assertTrue(outcomes.get("Sneaky").errors().get(0).message().contains("package p does not exist"),
                outcomes.get("Sneaky").renderedErrors());
    }

    @Test
    void the_same_sources_give_byte_identical_jars() {
        var sys = system("11.17.0");
        var src = List.of(source("app", "A", "public static int v() { return 1; }"));
        var first = compiler.compile(List.of(CompileUnit.of("A", src, List.of(sys)))).get("A").classes().toJar();
        var second = compiler.compile(List.of(CompileUnit.of("A", src, List.of(sys)))).get("A").classes().toJar();
        assertEquals(modprep.db.Sha256.of(first), modprep.db.Sha256.of(second));
    }

    @Test
    void javacs_report_of_an_out_of_memory_it_caught_itself_is_read_back() {
        String report = """
                An exception has occurred in the compiler (17.0.15). Please file a bug against the Java compiler via the Java bug reporting page
                java.lang.OutOfMemoryError: Java heap space
                \tat jdk.compiler/com.sun.tools.javac.code.Scope$ScopeImpl.enter(Scope.java:441)
                """;
        assertEquals("Java heap space", JavaSourceCompiler.outOfMemory(report).getMessage());
        assertNull(JavaSourceCompiler.outOfMemory("An exception has occurred in the compiler (17.0.15).\njava.lang.NullPointerException\n"));
    }
}
