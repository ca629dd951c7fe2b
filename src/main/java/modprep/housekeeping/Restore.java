package modprep.housekeeping;

import static modprep.db.schema.Tables.APP_USER;
import static modprep.db.schema.Tables.AUDIT_EVENT;
import static modprep.db.schema.Tables.CONSOLE_SESSION;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.WORKER_PROCESS;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.db.H2Folder;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Puts a backup in place as a data folder's database. Refused while a process has that database open
 * (a server, a command), and when the folder holds a database already unless forced: that one is then
 * kept aside in {@code replaced-TIME/}, not deleted. The backup is unpacked beside and checked first (it
 * opens, and its schema history is one this modprep knows), so a bad file changes nothing.
 */
public final class Restore {
    /** What was restored: rows per table (modules, runs, users, audit events), and where the replaced database went. */
    public record Restored(Map<String, Integer> rows, Path keptAside) {
    }

    private Restore() {
    }

    public static Restored from(Path backup, Path dataFolder, boolean force) {
        Path zip = backup.toAbsolutePath().normalize();
        Path folder = dataFolder.toAbsolutePath().normalize();
        if (!Files.isRegularFile(zip)) {
            throw ModprepException.notFound("no backup file " + zip);
        }
        Backup.requireDatabaseIn(zip);
        Path existing = folder.resolve(Backup.DATABASE_FILE);
        if (Files.exists(existing)) {
            refuseWhileOpen(folder, "restore");
            if (!force) {
                throw ModprepException.refused("the data folder " + folder + " holds a database already: restore into another "
                        + "folder, or add --force to put the backup in its place (the database there is kept aside, not deleted)");
            }
        }
        try {
            Files.createDirectories(folder);
            Path unpacked = Files.createTempDirectory(folder, ".restore-");
            try {
                Path database = unpack(zip, unpacked);
                String password = passwordIn(zip);
                var rows = verify(unpacked, zip, password);
                forgetSessions(unpacked, password);
                Path aside = Files.exists(existing) ? keepAside(folder, "replaced-") : null;
                Files.move(database, existing, StandardCopyOption.ATOMIC_MOVE);
                H2Folder.writePassword(folder, password); // the restored database opens with its own password
                return new Restored(rows, aside);
            } finally {
                try (var left = Files.walk(unpacked)) {
                    left.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore into " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * H2 lets one process open the file at a time: if this one cannot, another has it (and says who it is, if it
     * can); {@code command} is what to run again once it is stopped.
     */
    static void refuseWhileOpen(Path folder, String command) {
        String password = H2Folder.passwordOf(folder);
        try (Connection alone = DriverManager.getConnection(url(folder, ""), "sa", password)) {
            return;
        } catch (SQLException e) {
            if (e.getErrorCode() != org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw ModprepException.badInput("cannot open the database in " + folder + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        String who = "";
        try (Connection shared = DriverManager.getConnection(url(folder, ";AUTO_SERVER=TRUE"), "sa", password)) {
            var since = OffsetDateTime.now().minusSeconds(30);
            who = Database.dsl(shared).select(WORKER_PROCESS.KIND, WORKER_PROCESS.PID, WORKER_PROCESS.HOST)
                    .from(WORKER_PROCESS).where(WORKER_PROCESS.HEARTBEAT_AT.gt(since))
                    .fetch(r -> "a " + r.value1() + " (pid " + r.value2() + " on " + r.value3() + ")").stream()
                    .collect(Collectors.joining(", ", " (", ")"));
        } catch (SQLException | RuntimeException e) {
            // who it is stays unknown; that someone has it open is enough
        }
        throw ModprepException.refused("the data folder " + folder + " is in use by another modprep process" + (who.equals(" ()") ? "" : who)
                + ": stop it (a server: Ctrl+C or systemctl stop) and " + command + " again");
    }

    private static String url(Path folder, String options) {
        return "jdbc:h2:file:" + folder.resolve("modprep") + ";IFEXISTS=TRUE" + options;
    }

    /** The database's password the backup holds (none in a backup of a folder not yet tightened). */
    private static String passwordIn(Path zip) throws IOException {
        try (var entries = new ZipFile(zip.toFile())) {
            var entry = entries.getEntry(H2Folder.PASSWORD_FILE);
            if (entry == null) {
                return "";
            }
            try (var in = entries.getInputStream(entry)) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            }
        }
    }

    private static Path unpack(Path zip, Path into) throws IOException {
        try (var entries = new ZipFile(zip.toFile())) {
            Path database = into.resolve(Backup.DATABASE_FILE);
            try (var in = entries.getInputStream(entries.getEntry(Backup.DATABASE_FILE))) {
                Files.copy(in, database);
            }
            return database;
        }
    }

    /** Opens the unpacked database on its own and checks its schema history against this modprep's migrations. */
    private static Map<String, Integer> verify(Path unpacked, Path zip, String password) {
        try (Connection connection = DriverManager.getConnection(url(unpacked, ""), "sa", password)) {
            var flyway = Flyway.configure().dataSource(url(unpacked, ""), "sa", password).locations("classpath:db/migration")
                    // A backup of an earlier release lacks the newer migrations: they are applied when it is next opened.
                    .ignoreMigrationPatterns("*:pending").load();
            if (flyway.info().applied().length == 0) {
                throw ModprepException.badInput(zip + " is not a modprep backup: its database has no modprep schema");
            }
            flyway.validate();
            var dsl = Database.dsl(connection);
            var rows = new LinkedHashMap<String, Integer>();
            rows.put("modules", dsl.fetchCount(MODULE));
            rows.put("runs", dsl.fetchCount(PREPARATION_RUN));
            rows.put("users", dsl.fetchCount(APP_USER));
            rows.put("audit events", dsl.fetchCount(AUDIT_EVENT));
            return rows;
        } catch (SQLException | FlywayException | org.jooq.exception.DataAccessException e) {
            throw ModprepException.badInput(zip + " is not a backup this modprep can restore: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /**
     * A restore signs everyone out: the console sessions the backup holds (some signed out since) are not
     * brought back. A backup of a release before sessions were stored has none.
     */
    private static void forgetSessions(Path unpacked, String password) {
        try (Connection connection = DriverManager.getConnection(url(unpacked, ""), "sa", password);
                var tables = connection.getMetaData().getTables(null, null, "CONSOLE_SESSION", null)) {
            if (tables.next()) {
                Database.dsl(connection).deleteFrom(CONSOLE_SESSION).execute();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the restored database again: " + e.getMessage(), e);
        }
    }

    /** H2's files of the database (modprep.mv.db, .trace.db, .lock.db), not the folder's other files. */
    private static boolean isDatabaseFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("modprep.") && name.endsWith(".db") || name.equals(H2Folder.PASSWORD_FILE);
    }

    /** Moves the folder's database files into PREFIX-TIME/ (replaced-TIME/), where the operator can still find them. */
    static Path keepAside(Path folder, String prefix) throws IOException {
        Path aside = folder.resolve(prefix + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectory(aside);
        try (var files = Files.list(folder)) {
            for (Path file : files.filter(Restore::isDatabaseFile).toList()) {
                Files.move(file, aside.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return aside;
    }
}
