package modprep;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * A command (all but {@code serve}) lives for seconds. HotSpot's optimizing compiler, C2, then costs more
 * CPU than its code gives back, and its threads take the cores that javac needs: {@code upgrade --follow}
 * on 1,000 modules took 10.5 s wall and 20 s CPU with it, 6-7 s and 9-11 s without it (bench/RESULTS.md).
 * So a command asks its own JVM, through the diagnostic command MBean (what {@code jcmd PID
 * Compiler.directives_add} does), to leave C2 out; C1 still compiles every hot method. A JVM without that
 * MBean runs as usual. The long-lived server keeps C2.
 */
final class ShortLivedJit {
    private static final String NO_C2 = "[{ match: \"*.*\", c2: { Exclude: true } }]";

    private ShortLivedJit() {
    }

    static void leaveOutC2() {
        try {
            Path directives = Files.createTempFile("modprep-jit", ".json");
            try {
                Files.writeString(directives, NO_C2);
                ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "compilerDirectivesAdd", new Object[] {new String[] {directives.toString()}},
                        new String[] {String[].class.getName()});
            } finally {
                Files.deleteIfExists(directives);
            }
        } catch (Exception | LinkageError e) {
            // Not available here (another JVM, no temporary folder): the command runs with C2, only slower.
        }
    }
}
