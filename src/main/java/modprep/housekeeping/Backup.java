package modprep.housekeeping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipFile;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.db.H2Folder;
import org.jooq.impl.DSL;

/**
 * A consistent copy of the database while servers and commands work on it: H2's {@code BACKUP TO}
 * writes a zip of the database as one transaction sees it, without stopping anyone. Over an
 * automatic-mixed-mode connection the process that owns the database writes the file, so it is named by
 * its absolute path. The copy is written beside the target and renamed into place once complete, so a
 * backup cut short leaves no file that looks whole.
 */
public final class Backup {
    /** The one file of a data folder's database, and so of a backup. */
    public static final String DATABASE_FILE = "modprep.mv.db";

    private Backup() {
    }

    /**
     * Writes the backup of the data folder's database, with its password (the restored database opens with
     * it); returns its size in bytes. An existing file is replaced only when {@code force}.
     */
    public static long to(Database database, Path dataFolder, Path file, boolean force) {
        Path target = file.toAbsolutePath().normalize();
        refuseExisting(target, force);
        Path folder = target.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw ModprepException.badInput("cannot write the backup " + target + ": its folder does not exist");
        }
        if (!Files.isWritable(folder)) {
            throw ModprepException.badInput("cannot write the backup " + target + ": its folder is not writable");
        }
        Path partial = folder.resolve("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(partial);
            database.dsl().execute("BACKUP TO {0}", DSL.inline(partial.toString()));
            requireDatabaseIn(partial);
            try (var zip = java.nio.file.FileSystems.newFileSystem(partial)) {
                Files.writeString(zip.getPath(H2Folder.PASSWORD_FILE), H2Folder.passwordOf(dataFolder.toAbsolutePath().normalize()));
            }
            refuseExisting(target, force); // made meanwhile by someone else
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Files.size(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the backup " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // only a leftover named .partial
            }
        }
    }

    private static void refuseExisting(Path target, boolean force) {
        if (Files.isDirectory(target)) {
            throw ModprepException.badInput("cannot write the backup " + target + ": it is a folder; name a file");
        }
        if (!force && Files.exists(target)) {
            throw ModprepException.refused("the file " + target + " exists: name another, or add --force to replace it");
        }
    }

    /** A backup holds the database file; anything else is not one of ours. */
    static void requireDatabaseIn(Path zip) {
        try (var entries = new ZipFile(zip.toFile())) {
            if (entries.getEntry(DATABASE_FILE) == null) {
                throw ModprepException.badInput(zip + " is not a modprep backup: it holds no " + DATABASE_FILE);
            }
        } catch (IOException e) {
            throw ModprepException.badInput(zip + " is not a modprep backup (not a readable zip file: " + e.getMessage() + ")");
        }
    }
}
