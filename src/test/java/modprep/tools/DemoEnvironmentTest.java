package modprep.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void no_failures_writes_the_same_modules_and_references_without_any_findByName_call() throws IOException {
        var usual = new DemoEnvironment(7).write(dir.resolve("usual"), 200, "11.16.1");
        var clean = new DemoEnvironment(7).write(dir.resolve("clean"), 200, "11.16.1", true);

        assertFalse(usual.callingFindByName().isEmpty());
        assertTrue(clean.callingFindByName().isEmpty());
        assertEquals(usual.cycles(), clean.cycles());
        assertEquals(usual.published(), clean.published());
        assertEquals(moduleProperties(dir.resolve("usual")), moduleProperties(dir.resolve("clean")),
                "same modules, states, applications and references");
        assertFalse(Files.exists(dir.resolve("clean/fixes")), "nothing to fix");
        try (Stream<Path> walk = Files.walk(dir.resolve("clean/modules"))) {
            assertTrue(walk.filter(p -> p.toString().endsWith(".java")).noneMatch(p -> read(p).contains("findByName")));
        }
    }

    @Test
    void classes_per_module_writes_that_many_classes_in_every_module_on_the_same_graph_and_they_all_compile() throws IOException {
        new DemoEnvironment(7).write(dir.resolve("three"), 12, "11.16.1", true);
        new DemoEnvironment(7).classesPerModule(20).write(dir.resolve("twenty"), 12, "11.16.1", true);

        assertEquals(moduleProperties(dir.resolve("three")), moduleProperties(dir.resolve("twenty")), "the same graph");
        try (Stream<Path> modules = Files.list(dir.resolve("twenty/modules"))) {
            modules.forEach(module -> {
                try (Stream<Path> walk = Files.walk(module)) {
                    assertEquals(20, walk.filter(p -> p.toString().endsWith(".java")).count(), module.toString());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        try (var app = modprep.testing.TestEnvironment.newModprep()) {
            var summary = app.importer().importFolder(dir.resolve("twenty"), "test");
            assertEquals(12, summary.modules(), "imported, every published module compiled with its 20 classes");
        }
        var refused = org.junit.jupiter.api.Assertions.assertThrows(modprep.ModprepException.class,
                () -> new DemoEnvironment(7).classesPerModule(2));
        assertEquals("--classes-per-module must be between 3 and 1000, not 2", refused.getMessage());
    }

    private static Map<String, String> moduleProperties(Path environment) throws IOException {
        var result = new TreeMap<String, String>();
        try (Stream<Path> walk = Files.walk(environment.resolve("modules"))) {
            walk.filter(p -> p.getFileName().toString().equals("module.properties"))
                    .forEach(p -> result.put(p.getParent().getFileName().toString(), read(p)));
        }
        return result;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
