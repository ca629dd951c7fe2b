package modprep.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FixHintsTest {
    private final JavaSourceCompiler javac = new JavaSourceCompiler();
    private final BatchCompiler compiler = new BatchCompiler(javac);
    private final PlatformCatalog catalog = new PlatformCatalog();

    private ClassFiles system(String version) {
        var sources = catalog.systemSources(PlatformVersion.parseOrNull(version));
        return javac.compile(List.of(new JavaSourceCompiler.ModuleSources(ClassFiles.SYSTEM, sources)), List.of())
                .classesByModule().get(ClassFiles.SYSTEM);
    }

    private ModuleOutcome compile(String version, String body) {
        var src = List.of(new SourceFile("src/app/a/A.java",
                "package app.a;\n\nimport platform.system.*;\n\npublic class A {\n" + body + "\n}\n"));
        var outcome = compiler.compile(List.of(CompileUnit.of("A", src, List.of(system(version))))).get("A");
        return FixHints.forTarget(catalog, PlatformVersion.parseOrNull(version)).annotate(outcome);
    }

    @Test
    void a_real_javac_failure_on_findByName_for_11_17_0_says_to_use_findByUsername_I5() {
        var failed = compile("11.17.0", "    public static long id() { return Users.findByName(\"x\"); }");
        assertFalse(failed.succeeded());
        String rendered = failed.renderedErrors();
        assertTrue(rendered.startsWith("src/app/a/A.java:6: error: cannot find symbol"), rendered);
        assertTrue(rendered.endsWith("hint: Users.findByName was removed in 11.17.0: use Users.findByUsername instead"
                + " (platform.system.Users.findByUsername)"), rendered);
    }

    @Test
    void a_later_version_keeps_the_hint_of_the_version_that_removed_the_api_I5() {
        var failed = compile("11.18.0", "    public static long id() { return platform.system.Users.findByName(\"x\"); }");
        assertTrue(failed.renderedErrors().contains("hint: Users.findByName was removed in 11.17.0"), failed.renderedErrors());
    }

    @Test
    void a_missing_symbol_no_version_removed_gets_no_hint_and_older_targets_have_none_I5() {
        var typo = compile("11.17.0", "    public static long id() { return Users.findByNam(\"x\"); }");
        assertFalse(typo.renderedErrors().contains("hint:"), typo.renderedErrors());
        assertEquals(List.of(), FixHints.forTarget(catalog, PlatformVersion.parseOrNull("11.16.1")).removals());
        assertEquals(1, FixHints.forTarget(catalog, PlatformVersion.parseOrNull("11.18.0")).removals().size());
    }
}
