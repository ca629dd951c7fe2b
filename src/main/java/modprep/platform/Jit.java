package modprep.platform;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HotSpot's optimizing compiler, C2, left out where its CPU costs javac more than its code gives back. On two
 * cores its thread takes one of them for a process's first runs: javac's, H2's and jOOQ's code is large, and
 * C2 compiled it for 18 s of CPU over a console's first two runs on 1,000 modules.
 * <ul>
 * <li>A command (all but {@code serve}) lives for seconds: C2 is left out for its whole life
 *     ({@code upgrade --follow} on 1,000 modules: 10.5 s wall and 20 s CPU with it, 6-7 s and 9-11 s without).</li>
 * <li>The console lives long, and its pages want C2's code: C2 is left out only while this process compiles
 *     modules ({@link #compiling()}); what C2 compiled before stays. The console's first three runs took 7.3,
 *     3.1 and 3.1 s instead of 10.4, 5.3 and 4.2 s (bench/jit.sh), and a run beside 50 browsing clients 1.26x
 *     its time alone instead of 1.9-2.3x (bench/load.sh). The price: a method first hot during a run keeps
 *     C1's code (HotSpot marks it so), and pages browsed during the console's first run then cost 1.6-1.9x
 *     their CPU, 0.5-0.75 ms a request.</li>
 * </ul>
 * Done through the diagnostic command MBean, as {@code jcmd PID Compiler.directives_add} does; a JVM
 * without that MBean runs as usual, only slower.
 */
public final class Jit {
    private static final Logger LOG = LoggerFactory.getLogger(Jit.class);
    private static final String NO_C2 = "[{ match: \"*.*\", c2: { Exclude: true } }]";
    private static final Object LOCK = new Object();
    /**
     * Whether C2 is out for good: left out by a command, or never in (the launcher starts a command on C1
     * alone), or not to be left out (no C1 to fall back on, or not HotSpot).
     */
    private static boolean leftOutForGood = !("true".equals(vmOption("TieredCompilation")) && "4".equals(vmOption("TieredStopAtLevel")));
    private static int compilers;

    private Jit() {
    }

    /** For a command: C2 left out for the rest of this process's life. */
    public static void leaveOutC2() {
        synchronized (LOCK) {
            // Added even over a hold's own (the same directive): whichever is removed, C2 stays out.
            leftOutForGood = leftOutForGood || directive("compilerDirectivesAdd", NO_C2);
        }
    }

    /** While something of this process compiles modules: C2 left out until the last of them closes its hold. */
    public static Hold compiling() {
        synchronized (LOCK) {
            if (!leftOutForGood && compilers++ == 0) {
                directive("compilerDirectivesAdd", NO_C2);
            }
        }
        return Jit::release;
    }

    private static void release() {
        synchronized (LOCK) {
            if (!leftOutForGood && --compilers == 0) {
                directive("compilerDirectivesRemove", null);
            }
        }
    }

    /** A hold on {@link #compiling()}; closing it twice is a mistake its caller avoids with try-with-resources. */
    @FunctionalInterface
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    private static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return null; // not HotSpot
        }
    }

    /** Runs a directives command (with a directives file made of {@code json}, if any); returns whether it ran. */
    private static boolean directive(String command, String json) {
        try {
            Path file = json == null ? null : Files.createTempFile("modprep-jit", ".json");
            try {
                String[] args = file == null ? new String[0] : new String[] {Files.writeString(file, json).toString()};
                ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        command, new Object[] {args}, new String[] {String[].class.getName()});
                return true;
            } finally {
                if (file != null) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (Exception | LinkageError e) {
            LOG.debug("the JIT's directives are out of reach here ({}): C2 goes on", e.toString());
            return false;
        }
    }
}
