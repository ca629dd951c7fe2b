package modprep.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import modprep.platform.ClassFiles;
import modprep.platform.JavaSourceCompiler;
import modprep.platform.SourceFile;
import org.junit.jupiter.api.Test;

/** D5: what a module uses from its producers is read from its class files (ASM) and must exist in the producers that will run. */
class BytecodeCheckTest {
    private static final JavaSourceCompiler JAVAC = new JavaSourceCompiler();

    private static ClassFiles compile(String module, List<ClassFiles> classPath, String path, String source) {
        var result = JAVAC.compile(List.of(new JavaSourceCompiler.ModuleSources(module, List.of(new SourceFile(path, source)))), classPath);
        assertTrue(result.succeeded(), result.errors().toString());
        return result.classesByModule().get(module);
    }

    private static final String CORE_V1 = """
            package m.core;
            public class Api {
                public static int limit = 3;
                public static long value() { return 1; }
                public static long removed(String name) { return name.length(); }
                public long instance() { return 2; }
            }
            """;

    private static final String CORE_V2 = """
            package m.core;
            public class Api {
                public static int limit = 3;
                public static long value() { return 1; }
                public long instance() { return 2; }
            }
            """;

    private static final String LIB = """
            package m.lib;
            public final class Uses {
                public static long all() {
                    return m.core.Api.value() + m.core.Api.removed("x") + m.core.Api.limit + new m.core.Api().instance()
                            + new m.core.Api().hashCode();
                }
            }
            """;

    @Test
    void a_module_using_a_member_its_producer_no_longer_has_is_caught_by_name_D5() {
        var coreV1 = compile("Core", List.of(), "m/core/Api.java", CORE_V1);
        var lib = compile("Lib", List.of(coreV1), "m/lib/Uses.java", LIB);
        assertEquals(List.of(), BytecodeCheck.missing(lib, List.of(coreV1)), "against the producer it was compiled with, nothing is missing");

        var coreV2 = compile("Core", List.of(), "m/core/Api.java", CORE_V2);
        assertEquals(List.of("method m.core.Api.removed(String) of Core"), BytecodeCheck.missing(lib, List.of(coreV2)));
    }

    @Test
    void a_class_missing_from_a_producer_package_and_a_removed_field_are_caught_D5() {
        var coreV1 = compile("Core", List.of(), "m/core/Api.java", CORE_V1);
        var lib = compile("Lib", List.of(coreV1), "m/lib/Uses.java", LIB);
        var renamed = compile("Core", List.of(), "m/core/Other.java", """
                package m.core;
                public class Other {
                }
                """);
        assertEquals(List.of("class m.core.Api of Core"), BytecodeCheck.missing(lib, List.of(renamed)));

        var noField = compile("Core", List.of(), "m/core/Api.java", CORE_V1.replace("public static int limit = 3;", ""));
        assertEquals(List.of("field m.core.Api.limit of Core"), BytecodeCheck.missing(lib, List.of(noField)));
    }

    @Test
    void members_inherited_from_a_producer_supertype_or_the_jdk_count_as_present_D5() {
        var core = compile("Core", List.of(), "m/core/Base.java", """
                package m.core;
                public class Base extends java.util.ArrayList<String> {
                    public long base() { return 1; }
                }
                """);
        var lib = compile("Lib", List.of(core), "m/lib/Child.java", """
                package m.lib;
                public final class Child extends m.core.Base {
                    public long all() { return base() + size() + hashCode(); }
                }
                """);
        assertEquals(List.of(), BytecodeCheck.missing(lib, List.of(core)));
    }
}
