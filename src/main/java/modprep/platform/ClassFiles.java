package modprep.platform;

import java.util.Map;
import java.util.Set;

/**
 * The class files of one compilation, keyed by their path in the jar ({@code a/b/C.class}), and who
 * owns them: a module name, or {@link #SYSTEM} for the platform's system components.
 */
public record ClassFiles(String owner, Map<String, byte[]> classes) {
    public static final String SYSTEM = "(system components)";

    public Set<String> paths() {
        return classes.keySet();
    }

    public byte[] toJar() {
        return Archive.write(classes);
    }

    public static ClassFiles fromJar(String owner, byte[] jar) {
        return new ClassFiles(owner, Map.copyOf(Archive.read(jar)));
    }
}
