package modprep.web;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import modprep.ModprepException;

/**
 * An uploaded module: a zip of its folder (module.properties, config.properties, src/…), either at
 * the archive's root or under one top folder. Extracted with care: no path may leave the folder, and
 * sizes and counts are bounded, so a hostile archive is refused before anything is written elsewhere.
 */
final class ModuleArchive {
    static final long MAX_TOTAL_BYTES = 20L * 1024 * 1024;
    static final int MAX_ENTRIES = 5_000;

    private ModuleArchive() {
    }

    /** Extracts into {@code into/<module>}; returns that folder. */
    static Path extract(InputStream zip, String module, Path into) throws IOException {
        Path root = into.resolve(module).normalize();
        Files.createDirectories(root);
        long total = 0;
        int entries = 0;
        try (var in = new ZipInputStream(zip)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (++entries > MAX_ENTRIES) {
                    throw ModprepException.badInput("the archive for " + module + " has more than " + MAX_ENTRIES + " entries");
                }
                String name = entry.getName().replace('\\', '/');
                if (!isSafe(name)) {
                    throw ModprepException.badInput("the archive for " + module + " holds an unsafe path '"
                            + modprep.environment.Names.abbreviate(name) + "': paths must stay inside the module folder, "
                            + "with no '.', '..' or empty part");
                }
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw ModprepException.badInput("the archive for " + module + " holds a path leaving the module folder: "
                            + modprep.environment.Names.abbreviate(name));
                }
                placeFor(target, root, entry.isDirectory(), name, module);
                if (entry.isDirectory()) {
                    continue;
                }
                try (var out = Files.newOutputStream(target)) {
                    byte[] buffer = new byte[8192];
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        total += n;
                        if (total > MAX_TOTAL_BYTES) {
                            throw ModprepException.badInput("the archive for " + module + " is larger than "
                                    + MAX_TOTAL_BYTES / (1024 * 1024) + " MiB once extracted");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (ZipException e) {
            throw ModprepException.badInput("the upload for " + module + " is not a valid zip archive: " + e.getMessage());
        } catch (EOFException e) {
            throw ModprepException.badInput("the upload for " + module + " is not a valid zip archive: it ends in the middle of an entry");
        }
        if (entries == 0) {
            throw ModprepException.badInput("the upload for " + module + " is empty or not a zip archive");
        }
        return unwrapSingleFolder(root);
    }

    /** A relative path of names: no '.', '..' or empty part (a folder's own trailing slash aside), no drive or NUL. */
    private static boolean isSafe(String name) {
        if (name.startsWith("/") || name.contains(":") || name.contains("\0")) {
            return false;
        }
        String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes the folders an entry goes in, refusing an entry that would need a file as a folder, or put a
     * file where a folder is: an archive naming one path both ways.
     */
    private static void placeFor(Path target, Path root, boolean folder, String name, String module) throws IOException {
        for (Path parent = target.getParent(); !parent.equals(root); parent = parent.getParent()) {
            if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
                throw ModprepException.badInput("the archive for " + module + " holds '" + modprep.environment.Names.abbreviate(name)
                        + "', but '" + root.relativize(parent).toString().replace('\\', '/') + "' is a file in it");
            }
        }
        if (!folder && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw ModprepException.badInput("the archive for " + module + " holds '" + modprep.environment.Names.abbreviate(name)
                    + "' as a file, but it is a folder in it");
        }
        if (folder && Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw ModprepException.badInput("the archive for " + module + " holds '" + modprep.environment.Names.abbreviate(name)
                    + "' as a folder, but it is a file in it");
        }
        Files.createDirectories(folder ? target : target.getParent());
    }

    /** A zip of the folder itself holds one top folder: the module is inside it. */
    private static Path unwrapSingleFolder(Path root) throws IOException {
        if (Files.exists(root.resolve("module.properties"))) {
            return root;
        }
        try (var children = Files.list(root)) {
            var list = children.toList();
            if (list.size() == 1 && Files.isDirectory(list.get(0)) && Files.exists(list.get(0).resolve("module.properties"))) {
                Path renamed = root.resolveSibling(root.getFileName() + ".module");
                Files.move(list.get(0), renamed);
                Files.delete(root);
                Files.move(renamed, root);
            }
        }
        return root;
    }
}
