package modprep.platform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * Serves javac its class path from memory (the system components and producers' jars) and keeps what
 * it writes in memory, so that nothing of a compilation touches the disk. The JDK's own classes come
 * from the standard file manager it forwards to.
 */
final class MemoryFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Map<String, List<ClassInput>> classPathByPackage = new HashMap<>();
    private final Map<String, ClassOutput> outputs = new LinkedHashMap<>();

    MemoryFileManager(StandardJavaFileManager standard, List<ClassFiles> classPath) {
        super(standard);
        var seen = new java.util.HashSet<String>();
        for (var jar : classPath) {
            for (var entry : jar.classes().entrySet()) {
                String path = entry.getKey();
                if (path.endsWith(".class") && seen.add(path)) {
                    String binaryName = path.substring(0, path.length() - ".class".length()).replace('/', '.');
                    classPathByPackage.computeIfAbsent(packageOf(binaryName), p -> new ArrayList<>())
                            .add(new ClassInput(binaryName, entry.getValue()));
                }
            }
        }
    }

    /** What javac wrote: class file path in the jar, its bytes, and the source it came from. */
    Map<String, ClassOutput> outputs() {
        return outputs;
    }

    @Override
    public Iterable<JavaFileObject> list(Location location, String packageName, Set<JavaFileObject.Kind> kinds,
                                         boolean recurse) throws java.io.IOException {
        if (location == StandardLocation.CLASS_PATH) {
            if (!kinds.contains(JavaFileObject.Kind.CLASS)) {
                return List.of();
            }
            var found = new ArrayList<JavaFileObject>(classPathByPackage.getOrDefault(packageName, List.of()));
            if (recurse) {
                classPathByPackage.forEach((pkg, classes) -> {
                    if (pkg.startsWith(packageName + ".")) {
                        found.addAll(classes);
                    }
                });
            }
            return found;
        }
        if (location == StandardLocation.SOURCE_PATH) {
            return List.of();
        }
        return super.list(location, packageName, kinds, recurse);
    }

    @Override
    public boolean hasLocation(Location location) {
        if (location == StandardLocation.CLASS_PATH) {
            return true;
        }
        if (location == StandardLocation.SOURCE_PATH || location == StandardLocation.ANNOTATION_PROCESSOR_PATH) {
            return false;
        }
        return super.hasLocation(location);
    }

    @Override
    public String inferBinaryName(Location location, JavaFileObject file) {
        if (file instanceof ClassInput input) {
            return input.binaryName;
        }
        return super.inferBinaryName(location, file);
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
        if (a instanceof SimpleJavaFileObject || b instanceof SimpleJavaFileObject) {
            return a.toUri().equals(b.toUri());
        }
        return super.isSameFile(a, b);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                               FileObject sibling) {
        var output = new ClassOutput(className, sibling);
        outputs.put(className.replace('.', '/') + ".class", output);
        return output;
    }

    private static String packageOf(String binaryName) {
        int dot = binaryName.lastIndexOf('.');
        return dot < 0 ? "" : binaryName.substring(0, dot);
    }

    /** A source held in memory, tagged with the module it belongs to. */
    static final class SourceInput extends SimpleJavaFileObject {
        final String module;
        final String path;
        private final String content;

        SourceInput(String module, SourceFile source) {
            super(URI.create("mem:///" + encode(module) + "/" + encode(source.path())), Kind.SOURCE);
            this.module = module;
            this.path = source.path();
            this.content = source.content();
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return content;
        }

        @Override
        public String getName() {
            return path;
        }

        private static String encode(String text) {
            return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("%2F", "/");
        }
    }

    /** A class file of the class path, read from memory. */
    static final class ClassInput extends SimpleJavaFileObject {
        final String binaryName;
        private final byte[] bytes;

        ClassInput(String binaryName, byte[] bytes) {
            super(URI.create("mem:///classpath/" + binaryName.replace('.', '/') + ".class"), Kind.CLASS);
            this.binaryName = binaryName;
            this.bytes = bytes;
        }

        @Override
        public InputStream openInputStream() {
            return new ByteArrayInputStream(bytes);
        }
    }

    /** A class file javac writes, kept in memory with the source it was compiled from. */
    static final class ClassOutput extends SimpleJavaFileObject {
        final FileObject sibling;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        ClassOutput(String className, FileObject sibling) {
            super(URI.create("mem:///output/" + className.replace('.', '/') + ".class"), Kind.CLASS);
            this.sibling = sibling;
        }

        @Override
        public OutputStream openOutputStream() {
            bytes.reset();
            return bytes;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
