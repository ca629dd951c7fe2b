package modprep.housekeeping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.db.DatabaseLocation;
import modprep.db.EmptyTarget;
import modprep.db.TableCopy;

/**
 * {@code modprep move-to}: a data folder's H2 database copied, whole, into an empty PostgreSQL database. The
 * H2 database is opened for this process alone, so no server or command can start on it while it is read
 * (one that has it open already is refused, named by its heartbeat); a run in progress moves as it is, and
 * the first server on PostgreSQL takes it over as after a restart. Nothing is written anywhere until every
 * check has passed, and the copy is one transaction of the target.
 */
public final class MoveToPostgreSQL {
    /** Where the H2 files go once the installation runs on PostgreSQL: DATA/h2-before-move-TIME/, untouched. */
    public static final String KEPT_ASIDE = "h2-before-move-";

    private MoveToPostgreSQL() {
    }

    /** Checks the source and the target, migrates the target and copies every table into it; the data folder is left as it is. */
    public static List<TableCopy.Copied> copy(Path dataFolder, DatabaseLocation target) {
        Path folder = dataFolder.toAbsolutePath().normalize();
        if (!Files.exists(folder.resolve(Backup.DATABASE_FILE))) {
            throw ModprepException.notFound("no H2 database in the data folder " + folder + " (no " + Backup.DATABASE_FILE
                    + "): nothing to move");
        }
        Restore.refuseWhileOpen(folder, "run move-to");
        EmptyTarget.require(target);
        // The source first: a schema newer than this modprep is refused before the target is migrated.
        try (var source = Database.openAlone(folder); var into = Database.connect(target)) {
            return TableCopy.copy(source, into);
        }
    }

    /** Moves the H2 database's files, as they are, out of the way: the way back, should the operator want it. */
    public static Path keepAside(Path dataFolder) {
        try {
            return Restore.keepAside(dataFolder.toAbsolutePath().normalize(), KEPT_ASIDE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the H2 database aside in " + dataFolder + ": " + e.getMessage(), e);
        }
    }
}
