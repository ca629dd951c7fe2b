package modprep.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.testing.DatabaseDump;
import modprep.testing.TestEnvironment;
import modprep.testing.TestEnvironment.ModuleDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, item 5 for folders: what ImportTest does not already feed to import (binary sources,
 * duplicates, hostile names, overlong values, links), and the same hostile folders given to upload.
 * Each is refused naming the module and the file, and the database (stored blobs included) is unchanged.
 */
class HostileFolderTest {
    @TempDir
    Path dir;

    private final TestEnvironment env = new TestEnvironment("11.16.1").module("Core").module("Web", "Core")
            .add(new ModuleDef("Lone", "Other", true, List.of(), false, Map.of("color", "blue")));

    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hostile changes to a module folder, each with what its refusal must say (the folder is named Web). */
    private record Hostile(String what, Consumer<Path> change, String... expected) {
    }

    private static List<Hostile> hostileModules() {
        var cases = new ArrayList<Hostile>();
        cases.add(new Hostile("a binary source", m -> write(m.resolve("src/m/web/Blob.java"), new byte[] {'c', 'l', 'a', 0, 0, 7}),
                "module Web", "src/m/web/Blob.java", "is binary, not UTF-8 text"));
        cases.add(new Hostile("a source in UTF-16", m -> write(m.resolve("src/m/web/Wide.java"),
                "package m.web; class Wide {}".getBytes(StandardCharsets.UTF_16)), "module Web", "src/m/web/Wide.java"));
        cases.add(new Hostile("a module.properties in Latin-1", m -> write(m.resolve("module.properties"),
                "application=Caf\u00e9\nstate=published\nreferences=Core\n".getBytes(StandardCharsets.ISO_8859_1)),
                "module Web", "module.properties is not UTF-8 text"));
        cases.add(new Hostile("a source larger than 1 MB", m -> write(m.resolve("src/m/web/Huge.java"), "//" + "x".repeat(1_000_001)),
                "module Web", "src/m/web/Huge.java is larger than 1000000 bytes"));
        cases.add(new Hostile("a self-reference", m -> write(m.resolve("module.properties"), "application=App\nstate=published\nreferences=Core, Web\n"),
                "module Web", "module.properties references itself"));
        cases.add(new Hostile("a reference with SQL", m -> write(m.resolve("module.properties"),
                "application=App\nstate=published\nreferences=Core,x'; DROP TABLE module;--\n"),
                "module Web", "module.properties references: 'x'; DROP TABLE module;--' is not a valid module name"));
        cases.add(new Hostile("a reference with a path", m -> write(m.resolve("module.properties"), "application=App\nstate=published\nreferences=../Core\n"),
                "'../Core' is not a valid module name"));
        cases.add(new Hostile("a configuration value over 4000 characters", m -> write(m.resolve("config.properties"), "color=" + "b".repeat(4001) + "\n"),
                "module Web", "config.properties has a value for 'color' longer than 4000 characters"));
        cases.add(new Hostile("a configuration key over 200 characters", m -> write(m.resolve("config.properties"), "k".repeat(201) + "=1\n"),
                "module Web", "config.properties has a configuration key that is empty or longer than 200 characters"));
        cases.add(new Hostile("an application name over 100 characters", m -> write(m.resolve("module.properties"),
                "application=" + "A".repeat(101) + "\nstate=published\nreferences=Core\n"), "module Web", "has an invalid application name"));
        cases.add(new Hostile("an application name with a control character", m -> write(m.resolve("module.properties"),
                "application=A\\u0007B\nstate=published\nreferences=Core\n"), "module Web", "has an invalid application name 'A?B'"));
        cases.add(new Hostile("a malformed properties escape", m -> write(m.resolve("module.properties"), "application=A\\uZZZZ\nstate=published\nreferences=Core\n"),
                "module Web", "module.properties is not a valid properties file"));
        cases.add(new Hostile("a source that is a link", m -> {
            try {
                Files.createSymbolicLink(m.resolve("src/m/web/Passwd.java"), Path.of("/etc/passwd"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "module Web", "src/m/web/Passwd.java is not a regular file (links are not followed)"));
        return cases;
    }

    private void assertRefused(Modprep app, Runnable action, String... expected) {
        var before = DatabaseDump.of(app);
        var error = assertThrows(ModprepException.class, action::run);
        assertEquals(ModprepException.Kind.BAD_INPUT, error.kind(), error.getMessage());
        for (String text : expected) {
            assertTrue(error.getMessage().contains(text), "'" + text + "' in: " + error.getMessage());
        }
        assertEquals(before, DatabaseDump.of(app), "the database and its stored blobs are as before");
    }

    @Test
    void each_hostile_module_folder_is_refused_by_import_naming_module_and_file_and_nothing_is_stored() {
        int n = 0;
        for (var hostile : hostileModules()) {
            Path folder = env.write(dir.resolve("import-" + n++));
            hostile.change().accept(folder.resolve("modules/Web"));
            try (var app = TestEnvironment.newModprep()) {
                assertRefused(app, () -> app.importer().importFolder(folder, "test"), hostile.expected());
            }
        }
    }

    @Test
    void each_hostile_module_folder_is_refused_by_upload_naming_module_and_file_and_nothing_is_stored() {
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            int n = 0;
            for (var hostile : hostileModules()) {
                Path module = env.writeChanged(dir.resolve("upload-" + n++), "Web", 2);
                hostile.change().accept(module);
                assertRefused(app, () -> app.uploader().upload(module, "bob"), hostile.expected());
            }
            Path ghost = env.writeChanged(dir.resolve("ghost"), "Web", 2);
            write(ghost.resolve("module.properties"), "application=App\nstate=published\nreferences=Core,Ghost\n");
            assertRefused(app, () -> app.uploader().upload(ghost, "bob"), "module Web", "references Ghost, which is not a module of this environment");
        }
    }

    @Test
    void module_folders_named_with_html_sql_or_path_characters_are_refused_by_import_and_upload() {
        var names = List.of("<img src=x onerror=alert(1)>", "x'; DROP TABLE module;--", "M".repeat(101), "Web Shop", "Web\tShop", "..", ".");
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            int n = 0;
            for (String name : names) {
                Path module = dir.resolve("upload-" + n).resolve(name);
                if (!name.startsWith(".")) {
                    env.writeChanged(module.getParent(), "Lone", 2);
                    move(module.resolveSibling("Lone"), module);
                }
                assertRefused(app, () -> app.uploader().upload(module, "bob"), "'" + Names.abbreviate(name) + "' is not a valid module name");
                if (!name.startsWith(".")) {
                    Path folder = env.write(dir.resolve("import-" + n));
                    move(folder.resolve("modules/Lone"), folder.resolve("modules").resolve(name));
                    try (var fresh = TestEnvironment.newModprep()) {
                        assertRefused(fresh, () -> fresh.importer().importFolder(folder, "test"),
                                "module folder modules/" + name.substring(0, Math.min(8, name.length())), "is not a valid module name");
                    }
                }
                n++;
            }
        }
    }

    @Test
    void an_environment_with_a_module_given_twice_is_refused_naming_it_and_nothing_is_stored() {
        var reader = new EnvironmentFolderReader(new modprep.platform.PlatformCatalog());
        var spec = reader.read(env.write(dir.resolve("env")));
        var modules = new ArrayList<>(spec.modules());
        var lone = modules.stream().filter(m -> m.name().equals("Lone")).findFirst().orElseThrow();
        modules.add(new ModuleSpec("Lone", "Elsewhere", true, List.of("Core"), Map.of(), lone.sources()));
        try (var app = TestEnvironment.newModprep()) {
            var twice = new EnvironmentSpec(spec.version(), spec.progressive(), modules);
            assertRefused(app, () -> app.importer().importSpec(twice, "test"), "module Lone appears twice");
        }
    }

    @Test
    void a_module_folder_that_is_a_link_is_refused_rather_than_left_out() throws IOException {
        Path folder = env.write(dir.resolve("env"));
        Path outside = dir.resolve("outside");
        move(folder.resolve("modules/Lone"), outside);
        Files.createSymbolicLink(folder.resolve("modules/Lone"), outside);
        try (var app = TestEnvironment.newModprep()) {
            assertRefused(app, () -> app.importer().importFolder(folder, "test"), "modules/Lone", "is a link");
        }
    }

    @Test
    void a_bad_environment_properties_is_refused_naming_the_file() {
        var cases = Map.of(
                "platform.version=11.16.1\nprogressive.enabled=yes\n", "progressive.enabled='yes': it must be true or false",
                "progressive.enabled=true\n", "environment.properties has no 'platform.version' key",
                "platform.version=11.16.1-<b>\n", "unknown platform version '11.16.1-<b>'",
                "platform.version=\\uXYZW\n", "environment.properties is not a valid properties file");
        int n = 0;
        for (var e : cases.entrySet()) {
            Path folder = env.write(dir.resolve("props-" + n++));
            write(folder.resolve("environment.properties"), e.getKey());
            try (var app = TestEnvironment.newModprep()) {
                assertRefused(app, () -> app.importer().importFolder(folder, "test"), e.getValue());
            }
        }
        Path noModules = dir.resolve("no-modules");
        write(noModules.resolve("environment.properties"), "platform.version=11.16.1\n");
        try (var app = TestEnvironment.newModprep()) {
            assertRefused(app, () -> app.importer().importFolder(noModules, "test"), "the modules folder is missing");
            assertRefused(app, () -> app.importer().importFolder(dir.resolve("nowhere"), "test"), "does not exist or is not a folder");
        }
    }
}
