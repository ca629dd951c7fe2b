package modprep.environment;

import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.MODULE_CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.readmodel.ModuleReports;
import modprep.testing.DatabaseDump;
import modprep.testing.TestEnvironment.ModuleDef;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delete and Apply configurations outside any run (inside one, P7 is LockAndReadinessTest's). */
class ModuleOperationsTest {
    @TempDir
    Path dir;

    private Modprep imported() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Web", "Core")
                .add(new ModuleDef("Lone", "Other", true, List.of(), false, Map.of("color", "blue", "size", "3")));
        var app = TestEnvironment.newModprep();
        app.importer().importFolder(env.write(dir.resolve("env")), "test");
        return app;
    }

    @Test
    void deleting_a_published_module_nobody_uses_removes_it_with_its_code_and_builds() {
        try (var app = imported()) {
            var dsl = app.database().dsl();
            long id = dsl.select(MODULE.ID).from(MODULE).where(MODULE.NAME.eq("Lone")).fetchOne(MODULE.ID);
            app.operations().delete("Lone", "carol");
            assertEquals(0, dsl.fetchCount(MODULE, MODULE.ID.eq(id)));
            assertEquals(0, dsl.fetchCount(MODULE_CODE, MODULE_CODE.MODULE_ID.eq(id)));
            assertEquals(0, dsl.fetchCount(MODULE_BUILD, MODULE_BUILD.MODULE_ID.eq(id)));
            assertEquals(2, dsl.fetchCount(MODULE));
        }
    }

    @Test
    void deleting_a_module_that_others_use_is_refused_naming_them_and_changes_nothing() {
        try (var app = imported()) {
            var before = DatabaseDump.of(app);
            var refused = assertThrows(ModprepException.class, () -> app.operations().delete("Core", "carol"));
            assertEquals(ModprepException.Kind.REFUSED, refused.kind());
            assertTrue(refused.getMessage().startsWith("Delete of module Core was refused: Web uses it."), refused.getMessage());
            assertEquals(before, DatabaseDump.of(app));
        }
    }

    @Test
    void apply_configurations_changes_known_keys_and_refuses_unknown_ones_changing_nothing() {
        try (var app = imported()) {
            app.operations().applyConfigurations("Lone", Map.of("color", "green"), "carol");
            var before = DatabaseDump.of(app);
            var refused = assertThrows(ModprepException.class,
                    () -> app.operations().applyConfigurations("Lone", Map.of("size", "4", "shape", "round"), "carol"));
            assertEquals(ModprepException.Kind.BAD_INPUT, refused.kind());
            assertTrue(refused.getMessage().contains("no configuration 'shape'") && refused.getMessage().contains("color, size"),
                    refused.getMessage());
            assertEquals(before, DatabaseDump.of(app));
            assertEquals(Map.of("color", "green", "size", "3"),
                    new modprep.readmodel.ModuleReports(app.database().dsl()).report("Lone").configuration());
        }
    }
}
