package modprep.environment;

import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.MODULE_CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.status.BuildOrigin;
import modprep.testing.Builds;
import modprep.testing.DatabaseDump;
import modprep.testing.TestEnvironment.ModuleDef;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DESIGN §3: import is all or nothing, and every error names the module and the file. */
class ImportTest {
    @TempDir
    Path dir;

    private static TestEnvironment good() {
        return new TestEnvironment("11.16.1")
                .module("Core")
                .add(new ModuleDef("Web", "Shop", true, List.of("Core"), false, Map.of("title", "Shop")))
                .uploaded("Draft", "Core");
    }

    private Path goodFolder() {
        return good().write(dir.resolve("env"));
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Imports the folder as changed by {@code breakIt} into a fresh database, expects a bad-input error
     * containing every text given, and checks that the database is exactly as before.
     */
    private String refused(Consumer<Path> breakIt, String... mustContain) {
        var folder = goodFolder();
        breakIt.accept(folder);
        try (var app = TestEnvironment.newModprep()) {
            var before = DatabaseDump.of(app);
            var error = assertThrows(ModprepException.class, () -> app.importer().importFolder(folder, "test"));
            assertEquals(ModprepException.Kind.BAD_INPUT, error.kind(), error.getMessage());
            for (String text : mustContain) {
                assertTrue(error.getMessage().contains(text), "'" + text + "' in: " + error.getMessage());
            }
            assertEquals(before, DatabaseDump.of(app), "a refused import leaves the database as it was");
            return error.getMessage();
        }
    }

    @Test
    void a_good_environment_is_imported_whole_and_each_published_module_runs_its_compilation() {
        try (var app = TestEnvironment.newModprep()) {
            var summary = app.importer().importFolder(goodFolder(), "test");
            assertEquals(new EnvironmentImporter.Summary("11.16.1", 3, 2, 2, summary.compileMillis()), summary);
            for (String m : List.of("Core", "Web")) {
                var module = Builds.module(app, m);
                assertEquals("11.16.1", module.getRunningVersion());
                var build = Builds.build(app, m, "11.16.1");
                assertEquals(BuildOrigin.IMPORTED, build.getOrigin());
                assertEquals(build.getJarSha256(), module.getRunningJar());
                assertEquals(module.getPublishedCodeId(), build.getCodeId());
            }
            var draft = Builds.module(app, "Draft");
            assertNull(draft.getPublishedCodeId());
            assertNull(draft.getRunningVersion());
            assertNotNull(draft.getLatestCodeId());
            assertNull(Builds.build(app, "Draft", "11.16.1"));
            var dsl = app.database().dsl();
            assertEquals("Shop", dsl.select(MODULE_CONFIG.CONFIG_VALUE).from(MODULE_CONFIG).fetchOne(MODULE_CONFIG.CONFIG_VALUE));
            assertEquals(List.of("11.16.1"), dsl.select(modprep.db.schema.Tables.PLATFORM_BUILD.PLATFORM_VERSION)
                    .from(modprep.db.schema.Tables.PLATFORM_BUILD).fetch(modprep.db.schema.Tables.PLATFORM_BUILD.PLATFORM_VERSION),
                    "the import stores the system components it compiled with");
            assertEquals(10, dsl.select(modprep.db.schema.Tables.ENVIRONMENT.GROUP_SIZE).from(modprep.db.schema.Tables.ENVIRONMENT)
                    .fetchOne(modprep.db.schema.Tables.ENVIRONMENT.GROUP_SIZE), "P6: groups of 10 by default");
            var env = modprep.db.schema.Tables.ENVIRONMENT;
            var code = modprep.db.schema.Tables.MODULE_CODE;
            var pace = dsl.select(env.IMPORT_COMPILE_MS, env.IMPORT_SOURCE_FILES).from(env).fetchOne();
            assertEquals(summary.compileMillis(), pace.value1(), "I1: the import's compiling time is kept, a first run's pace");
            assertEquals(dsl.select(org.jooq.impl.DSL.sum(code.FILE_COUNT)).from(code).join(MODULE).on(MODULE.PUBLISHED_CODE_ID.eq(code.ID))
                    .fetchOne(0, Integer.class), pace.value2(), "the published modules' source files, which it compiled");
        }
    }

    @Test
    void a_second_import_into_the_same_data_folder_is_refused_and_changes_nothing() {
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(goodFolder(), "test");
            var before = DatabaseDump.of(app);
            var other = new TestEnvironment("11.17.0").module("Other").write(dir.resolve("other"));
            var error = assertThrows(ModprepException.class, () -> app.importer().importFolder(other, "test"));
            assertEquals(ModprepException.Kind.REFUSED, error.kind());
            assertEquals(before, DatabaseDump.of(app));
        }
    }

    @Test
    void a_reference_to_a_module_that_does_not_exist_is_refused_naming_module_and_file() {
        refused(f -> write(f.resolve("modules/Web/module.properties"), "application=Shop\nstate=published\nreferences=Core,Ghost\n"),
                "module Web", "modules/Web/module.properties", "Ghost", "not a module of this environment");
    }

    @Test
    void a_module_that_references_itself_is_refused_naming_module_and_file() {
        refused(f -> write(f.resolve("modules/Web/module.properties"), "application=Shop\nstate=published\nreferences=Core,Web\n"),
                "module Web", "modules/Web/module.properties", "references itself");
    }

    @Test
    void a_module_name_outside_the_allowed_characters_is_refused_naming_the_folder() {
        refused(f -> {
            try {
                Files.move(f.resolve("modules/Web"), f.resolve("modules/Web Shop"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "modules/Web Shop", "'Web Shop' is not a valid module name");
    }

    @Test
    void a_module_name_longer_than_100_characters_is_refused() {
        String longName = "M".repeat(101);
        refused(f -> {
            try {
                Files.move(f.resolve("modules/Web"), f.resolve("modules/" + longName));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "modules/" + longName, "is not a valid module name", "at most 100 characters");
    }

    @Test
    void a_reference_with_a_bad_name_is_refused_naming_module_and_file() {
        refused(f -> write(f.resolve("modules/Web/module.properties"), "application=Shop\nstate=published\nreferences=Core,Bad$Name\n"),
                "module Web", "modules/Web/module.properties", "'Bad$Name' is not a valid module name");
    }

    @Test
    void each_missing_key_is_refused_naming_module_file_and_key() {
        for (String key : List.of("application", "state", "references")) {
            var lines = new StringBuilder();
            Map.of("application", "Shop", "state", "published", "references", "Core").forEach((k, v) -> {
                if (!k.equals(key)) {
                    lines.append(k).append('=').append(v).append('\n');
                }
            });
            refused(f -> write(f.resolve("modules/Web/module.properties"), lines.toString()),
                    "module Web", "modules/Web/module.properties", "has no '" + key + "' key");
            dir = dir.resolve("again-" + key);
        }
    }

    @Test
    void a_state_other_than_published_or_uploaded_is_refused() {
        refused(f -> write(f.resolve("modules/Web/module.properties"), "application=Shop\nstate=deployed\nreferences=Core\n"),
                "module Web", "modules/Web/module.properties", "'deployed'");
    }

    @Test
    void a_missing_module_properties_file_is_refused_naming_module_and_file() {
        refused(f -> f.resolve("modules/Web/module.properties").toFile().delete(),
                "module Web", "modules/Web/module.properties", "is missing");
    }

    @Test
    void a_source_that_cannot_be_read_as_a_file_is_refused_naming_module_and_file() {
        refused(f -> {
            try {
                Files.createSymbolicLink(f.resolve("modules/Web/src/m/web/Extra.java"), f.resolve("nowhere/Extra.java"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "module Web", "modules/Web/src/m/web/Extra.java", "is not a regular file");
    }

    @Test
    void a_source_that_is_not_utf_8_is_refused_naming_module_and_file() {
        refused(f -> {
            try {
                Files.write(f.resolve("modules/Web/src/m/web/Latin.java"),
                        "package m.web;\n// caf\u00e9\nclass Latin {}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "module Web", "modules/Web/src/m/web/Latin.java", "is not UTF-8 text");
    }

    @Test
    void a_module_without_sources_is_refused_naming_module_and_folder() {
        refused(f -> {
            try (var files = Files.walk(f.resolve("modules/Web/src"))) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "module Web", "modules/Web/src", "is missing");
    }

    @Test
    void an_unknown_platform_version_is_refused_naming_the_file_and_the_known_versions() {
        refused(f -> write(f.resolve("environment.properties"), "platform.version=11.15.0\n"),
                "environment.properties", "unknown platform version '11.15.0'", "11.9.0, 11.10.0, 11.11.0, 11.14.1, 11.16.1, 11.17.0, 11.18.0, 11.19.0");
    }

    @Test
    void a_published_module_using_an_uploaded_one_is_refused_naming_module_and_file() {
        refused(f -> write(f.resolve("modules/Web/module.properties"), "application=Shop\nstate=published\nreferences=Core,Draft\n"),
                "module Web", "modules/Web/module.properties", "Draft is only uploaded");
    }

    @Test
    void a_published_module_that_does_not_compile_is_refused_naming_module_file_and_line() {
        refused(f -> write(f.resolve("modules/Web/src/m/web/Broken.java"),
                        "package m.web;\n\npublic class Broken {\n    int x = Users.findByName(\"x\");\n}\n"),
                "module Web is published but does not compile with 11.16.1", "modules/Web/src/m/web/Broken.java:4: error:",
                "cannot find symbol");
    }

    @Test
    void a_published_module_that_does_not_compile_with_the_environments_version_is_refused() {
        var env = new TestEnvironment("11.17.0").module("Core").failing("Legacy", "Core");
        try (var app = TestEnvironment.newModprep()) {
            var before = DatabaseDump.of(app);
            var error = assertThrows(ModprepException.class,
                    () -> app.importer().importFolder(env.write(dir.resolve("e17")), "test"));
            assertTrue(error.getMessage().startsWith("module Legacy is published but does not compile with 11.17.0"), error.getMessage());
            assertTrue(error.getMessage().contains("modules/Legacy/src/m/legacy/Api.java:7: error: cannot find symbol"), error.getMessage());
            assertEquals(before, DatabaseDump.of(app));
        }
    }

    @Test
    void reference_cycles_are_allowed_and_compiled_together() {
        var env = new TestEnvironment("11.16.1").module("Core").module("CycA", "Core", "CycB").module("CycB", "CycC")
                .module("CycC", "CycA").module("User", "CycC");
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("cycle")), "test");
            var dsl = app.database().dsl();
            assertEquals(5, dsl.fetchCount(MODULE_BUILD));
            var inputs = dsl.select(MODULE.NAME, MODULE_BUILD.INPUTS_SHA256).from(MODULE_BUILD).join(MODULE)
                    .on(MODULE.ID.eq(MODULE_BUILD.MODULE_ID)).fetchMap(MODULE.NAME, MODULE_BUILD.INPUTS_SHA256);
            assertEquals(5, Set.copyOf(inputs.values()).size());
            var graph = EnvironmentSnapshot.load(dsl, modprep.platform.PlatformVersion.parseOrNull("11.16.1")).publishedGraph();
            assertEquals(List.of("CycA", "CycB", "CycC"), graph.unitOf("CycB"), "one unit, compiled in one javac task");
        }
    }

    @Test
    void a_cycle_with_a_module_that_does_not_compile_is_refused_naming_it() {
        var env = new TestEnvironment("11.17.0").module("CycB", "CycA").failing("CycA", "CycB");
        try (var app = TestEnvironment.newModprep()) {
            var error = assertThrows(ModprepException.class,
                    () -> app.importer().importFolder(env.write(dir.resolve("cycle")), "test"));
            assertTrue(error.getMessage().contains("module CycA is published but does not compile"), error.getMessage());
            assertTrue(error.getMessage().contains("modules/CycA/src/m/cyca/Api.java:7"), error.getMessage());
            assertEquals(0, app.database().dsl().fetchCount(MODULE));
        }
    }
}
