package modprep.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** While something compiles modules C2 is left out, once however many hold it, and back when the last lets go. */
class JitTest {
    @Test
    void c2IsLeftOutWhileAnyHoldIsOpenAndBackAfterTheLast() throws Exception {
        String before = directives();
        assertFalse(excludesC2(before), before);

        try (var first = Jit.compiling()) {
            String held = directives();
            assertTrue(excludesC2(held), held);
            try (var second = Jit.compiling()) {
                assertEquals(held, directives(), "a second hold adds no second directive");
            }
            assertTrue(excludesC2(directives()), "the first hold still holds");
        }
        assertEquals(before, directives());
    }

    private static boolean excludesC2(String directives) {
        return directives.contains("matching: *.*") && directives.substring(directives.indexOf("c2 directives:")).contains("Exclude:true");
    }

    /** What {@code jcmd PID Compiler.directives_print} prints for this JVM. */
    private static String directives() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "compilerDirectivesPrint", new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }
}
