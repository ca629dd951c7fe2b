package modprep.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import modprep.ModprepException;
import modprep.preparation.WorkerKind;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class MavenExportTest {
    @TempDir
    Path dir;

    /** Core ← A; Core ← B ⇄ C (a cycle) ← D; Draft only uploaded; a module whose name is the system module's. */
    private TestEnvironment environment() {
        return new TestEnvironment("11.16.1")
                .module("Core")
                .module("A", "Core")
                .module("B", "Core", "C")
                .module("C", "B")
                .module("D", "B")
                .module("platform-system-11.16.1")
                .uploaded("Draft", "Core");
    }

    @Test
    void exports_one_Maven_module_per_published_module_with_its_references_as_dependencies_and_merges_the_cycle() throws Exception {
        Path out = dir.resolve("maven");
        MavenExport.Summary summary;
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(environment().write(dir.resolve("env")), "test");
            summary = new MavenExport(app.compilations(), app.catalog()).export(out);
        }
        String system = "platform-system-11.16.1-2"; // the plain name is taken by a module
        assertEquals(system, summary.systemArtifactId());
        assertEquals(6, summary.modules());
        assertEquals(1, summary.excluded());
        assertEquals(List.of(List.of("B", "C")), summary.mergedCycles().stream().map(MavenExport.MavenModule::modules).toList());
        assertEquals(List.of(), summary.notCurrent());

        var parent = pom(out.resolve("pom.xml"));
        assertEquals("pom", text(parent, "packaging"));
        var modules = texts(parent, "module");
        assertEquals(system, modules.get(0));
        assertEquals(List.of("modules/A", "modules/B__C", "modules/Core", "modules/D", "modules/platform-system-11.16.1"),
                modules.subList(1, modules.size()).stream().sorted().toList());
        assertTrue(modules.indexOf("modules/Core") < modules.indexOf("modules/B__C"), "producers come first: " + modules);
        assertTrue(modules.indexOf("modules/B__C") < modules.indexOf("modules/D"), "producers come first: " + modules);
        assertFalse(Files.exists(out.resolve("modules/Draft")), "only uploaded: left out, as the preparation leaves it out");
        assertFalse(Files.exists(out.resolve("modules/B")));

        assertEquals("17", text(parent, "maven.compiler.release"));
        assertEquals("UTF-8", text(parent, "project.build.sourceEncoding"));
        var plugins = parent.getElementsByTagName("plugin");
        boolean compilerPinned = false;
        for (int i = 0; i < plugins.getLength(); i++) {
            var plugin = (Element) plugins.item(i);
            if (text(plugin, "artifactId").equals("maven-compiler-plugin")) {
                compilerPinned = text(plugin, "version").equals("3.14.0") && texts(plugin, "arg").equals(List.of("-proc:none"));
            }
        }
        assertTrue(compilerPinned, "the parent pins maven-compiler-plugin 3.14.0 with -proc:none");

        assertEquals(List.of(system), dependencies(out.resolve("modules/Core/pom.xml")));
        assertEquals(List.of(system, "Core"), dependencies(out.resolve("modules/A/pom.xml")));
        assertEquals(List.of(system, "Core"), dependencies(out.resolve("modules/B__C/pom.xml")), "the cycle's own references are inside it");
        assertEquals(List.of(system, "B__C"), dependencies(out.resolve("modules/D/pom.xml")), "a consumer of B depends on the merged module");
        var d = pom(out.resolve("modules/D/pom.xml"));
        assertEquals("compile", text(d, "scope"));
        assertEquals("../../pom.xml", text(d, "relativePath"));
        assertEquals("B__C", text(pom(out.resolve("modules/B__C/pom.xml")), "artifactId", 1));
        assertTrue(Files.isRegularFile(out.resolve("modules/B__C/src/main/java/m/b/Api.java")));
        assertTrue(Files.isRegularFile(out.resolve("modules/B__C/src/main/java/m/c/Api.java")));
        assertTrue(Files.readString(out.resolve(system + "/src/main/java/platform/system/Version.java")).contains("11.16.1"));
        assertTrue(Files.readString(out.resolve("pom.xml")).contains("B__C: B, C"), "the parent says which modules were merged");

        assertCompilesInOneTask(out);
    }

    @Test
    void exports_the_code_that_is_published_for_the_current_version_after_an_upgrade() throws Exception {
        var env = new TestEnvironment("11.16.1").module("Core").failing("Legacy", "Core").module("UsesLegacy", "Legacy");
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            var started = app.preparations().upgrade("11.17.0", "test");
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                TestEnvironment.awaitEnd(app, started.runId(), java.time.Duration.ofSeconds(60));
            }
            var before = new MavenExport(app.compilations(), app.catalog()).export(dir.resolve("before"));
            assertEquals(List.of("Legacy", "UsesLegacy"), before.notCurrent(), "the failed module and the one it blocks");

            app.uploader().upload(env.writeFix(dir.resolve("fixes"), "Legacy"), "test");
            assertTrue(app.publisher().publish(List.of("Legacy"), "test").allPublished());
            var after = new MavenExport(app.compilations(), app.catalog()).export(dir.resolve("after"));
            assertEquals("11.17.0", after.version().toString());
            assertTrue(Files.readString(dir.resolve("after/modules/Legacy/src/main/java/m/legacy/Api.java")).contains("findByUsername"));
            assertTrue(Files.exists(dir.resolve("after/platform-system-11.17.0/src/main/java/platform/system/Users.java")));
            assertCompilesInOneTask(dir.resolve("after"));
        }
    }

    @Test
    void names_with_markup_quotes_and_double_hyphens_are_written_as_text_that_Maven_reads_back_unchanged() throws Exception {
        String application = "R&D <\"core\"> -- ]]> \u00fcn\u00ef";
        var env = new TestEnvironment("11.16.1").module("Core")
                .add(new TestEnvironment.ModuleDef("Odd", application, true, List.of("Core"), false, java.util.Map.of()))
                .module("X--1", "Core", "Y")
                .module("Y", "X--1");
        Path out = dir.resolve("maven");
        MavenExport.Summary summary;
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            summary = new MavenExport(app.compilations(), app.catalog()).export(out);
        }
        var cycle = summary.mergedCycles().get(0);
        assertEquals(List.of("X--1", "Y"), cycle.modules());
        assertEquals("Module Odd (application " + application + ").", text(pom(out.resolve("modules/Odd/pom.xml")), "description"));
        assertTrue(text(pom(out.resolve("pom.xml")), "description").contains(cycle.artifactId() + ": X--1, Y"),
                "the parent names the merged modules, double hyphens and all (a comment could not hold them)");
        assertEquals(cycle.artifactId(), text(pom(out.resolve(cycle.folder()).resolve("pom.xml")), "artifactId", 1));
        assertCompilesInOneTask(out);
    }

    @Test
    void refuses_a_folder_that_is_not_empty() throws IOException {
        Files.createDirectories(dir.resolve("busy"));
        Files.writeString(dir.resolve("busy/keep.txt"), "mine");
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(new TestEnvironment("11.16.1").module("Core").write(dir.resolve("env")), "test");
            var e = assertThrows(ModprepException.class,
                    () -> new MavenExport(app.compilations(), app.catalog()).export(dir.resolve("busy")));
            assertEquals(ModprepException.Kind.BAD_INPUT, e.kind());
        }
        assertEquals("mine", Files.readString(dir.resolve("busy/keep.txt")));
    }

    /** Every exported source, system components included, compiles in one javac task: nothing is missing. */
    private void assertCompilesInOneTask(Path out) throws IOException {
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(out)) {
            sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        var javac = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        try (var files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Path classes = Files.createDirectories(dir.resolve("classes-" + out.getFileName()));
            var options = List.of("-proc:none", "--release", "17", "-d", classes.toString());
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertTrue(ok, diagnostics.getDiagnostics().toString());
        }
    }

    private static Document pom(Path file) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** The artifactIds of the pom's dependencies, in order. */
    private static List<String> dependencies(Path file) throws Exception {
        var result = new ArrayList<String>();
        var dependencies = pom(file).getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            result.add(text((Element) dependencies.item(i), "artifactId"));
        }
        return result;
    }

    private static String text(Document document, String tag) {
        return text(document, tag, 0);
    }

    private static String text(Document document, String tag, int index) {
        return document.getElementsByTagName(tag).item(index).getTextContent().strip();
    }

    private static String text(Element element, String tag) {
        return element.getElementsByTagName(tag).item(0).getTextContent().strip();
    }

    private static List<String> texts(org.w3c.dom.Node node, String tag) {
        var list = node instanceof Document d ? d.getElementsByTagName(tag) : ((Element) node).getElementsByTagName(tag);
        var result = new ArrayList<String>();
        for (int i = 0; i < list.getLength(); i++) {
            result.add(list.item(i).getTextContent().strip());
        }
        return result;
    }
}
