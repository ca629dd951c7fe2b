package modprep.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A folder held in memory, to mutate cheaply: its files by relative path ("/" separated), in the order a
 * zip of it lists them. A path ending in "/" is a folder of its own (empty, or listed before its files);
 * a file whose content is {@link #link} is written as a symbolic link.
 */
public final class FolderTree {
    private static final String LINK = "\u0000link:";
    private final LinkedHashMap<String, byte[]> files;

    private FolderTree(LinkedHashMap<String, byte[]> files) {
        this.files = files;
    }

    public static FolderTree empty() {
        return new FolderTree(new LinkedHashMap<>());
    }

    /** The files under a folder on disk, sorted by path. */
    public static FolderTree read(Path folder) {
        var files = new LinkedHashMap<String, byte[]>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(folder.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FolderTree(files);
    }

    public FolderTree copy() {
        var copy = new LinkedHashMap<String, byte[]>();
        files.forEach((path, content) -> copy.put(path, content.clone()));
        return new FolderTree(copy);
    }

    /** The files under a prefix ("modules/Api/"), with the prefix taken off. */
    public FolderTree under(String prefix) {
        var sub = new LinkedHashMap<String, byte[]>();
        files.forEach((path, content) -> {
            if (path.startsWith(prefix)) {
                sub.put(path.substring(prefix.length()), content.clone());
            }
        });
        return new FolderTree(sub);
    }

    /** Makes this tree the same as another. */
    public void restore(FolderTree other) {
        files.clear();
        other.files.forEach((path, content) -> files.put(path, content.clone()));
    }

    public List<String> paths() {
        return List.copyOf(files.keySet());
    }

    public boolean has(String path) {
        return files.containsKey(path);
    }

    public byte[] get(String path) {
        return files.get(path);
    }

    public String text(String path) {
        return new String(files.get(path), StandardCharsets.UTF_8);
    }

    public void put(String path, byte[] content) {
        files.put(path, content);
    }

    public void put(String path, String text) {
        files.put(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts a file first, before every other (a zip lists it first). */
    public void putFirst(String path, byte[] content) {
        var rest = new LinkedHashMap<>(files);
        files.clear();
        files.put(path, content);
        rest.remove(path);
        files.putAll(rest);
    }

    public void remove(String path) {
        files.remove(path);
    }

    /** Removes every file under a prefix; returns how many. */
    public int removeUnder(String prefix) {
        int before = files.size();
        files.keySet().removeIf(p -> p.startsWith(prefix));
        return before - files.size();
    }

    /** Moves every file under one prefix to another, in place in the order. */
    public void move(String from, String to) {
        var moved = new LinkedHashMap<String, byte[]>();
        files.forEach((path, content) -> moved.put(path.startsWith(from) ? to + path.substring(from.length()) : path, content));
        files.clear();
        files.putAll(moved);
    }

    /** Content that {@link #writeTo} writes as a symbolic link to {@code target} (relative to the link). */
    public static byte[] link(String target) {
        return (LINK + target).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes the files under {@code folder}, which is emptied first. A file where a folder must be (or the
     * other way round) is left out: on disk one path cannot be both.
     */
    public void writeTo(Path folder) {
        try {
            delete(folder);
            Files.createDirectories(folder);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = folder.resolve(file.getKey());
                if (file.getKey().endsWith("/")) {
                    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectories(target);
                    }
                    continue;
                }
                if (!makeParents(folder, target) || Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String text = new String(file.getValue(), StandardCharsets.UTF_8);
                if (text.startsWith(LINK)) {
                    Files.createSymbolicLink(target, Path.of(text.substring(LINK.length())));
                } else {
                    Files.write(target, file.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean makeParents(Path root, Path target) throws IOException {
        for (Path parent = target.getParent(); !parent.equals(root); parent = parent.getParent()) {
            if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        Files.createDirectories(target.getParent());
        return true;
    }

    /** A zip of the files, in their order, each entry named by its path as is (hostile names included). */
    public byte[] zip() {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                if (!file.getKey().endsWith("/")) {
                    out.write(file.getValue());
                }
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static void delete(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
