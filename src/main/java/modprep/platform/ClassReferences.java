package modprep.platform;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The classes a class file refers to, read from its constant pool: class entries and the types named
 * in descriptors and signatures. Used to prove that a module compiled in a shared javac task only
 * uses classes it is allowed to see.
 */
final class ClassReferences {
    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+)[;<]");

    private ClassReferences() {
    }

    /** Internal names ({@code a/b/C}) of every class referred to. */
    static Set<String> of(byte[] classFile) {
        try (var in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            in.readInt(); // magic
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            var utf8 = new String[count];
            var classNameIndexes = new HashSet<Integer>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7 -> classNameIndexes.add(in.readUnsignedShort());
                    case 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 15 -> { in.readUnsignedByte(); in.readUnsignedShort(); }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 5, 6 -> { in.readLong(); i++; }
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
            var names = new HashSet<String>();
            for (int index : classNameIndexes) {
                String name = utf8[index];
                if (name.startsWith("[")) {
                    addDescriptorTypes(name, names);
                } else {
                    names.add(name);
                }
            }
            for (String text : utf8) {
                if (text != null && text.indexOf('L') >= 0 && text.indexOf(';') > 0) {
                    addDescriptorTypes(text, names);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("javac wrote an unreadable class file", e);
        }
    }

    private static void addDescriptorTypes(String descriptor, Set<String> names) {
        var matcher = TYPE_IN_DESCRIPTOR.matcher(descriptor);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
    }
}
