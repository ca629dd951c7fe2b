package modprep.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;

/**
 * The embedded database's side of the data folder, kept to itself: the folder is 0700, the database has a
 * password kept in {@code modprep.password} (0600), and H2's automatic-server port listens on 127.0.0.1
 * only. A data folder made before all this (no password, world-readable) is tightened in place on its
 * first start.
 */
public final class H2Folder {
    static final String USER = "sa";
    /** The file in the data folder that holds its database's password (mode 0600); a backup holds it too. */
    public static final String PASSWORD_FILE = "modprep.password";
    /** Written before the database's password is changed, renamed once it is: a crash in between loses nothing. */
    private static final String PENDING_FILE = "modprep.password.new";

    private H2Folder() {
    }

    /**
     * H2 binds the server sockets it opens (AUTO_SERVER's among them) to this address; unset, they listen on
     * every interface. Read once, when H2 is first loaded: set before any H2 class is.
     */
    static void listenOnLoopbackOnly() {
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    /** The password of a data folder's database: its password file's, or none for a folder not yet tightened. */
    public static String passwordOf(Path folder) {
        Path file = folder.resolve(PASSWORD_FILE);
        try {
            return Files.exists(file) ? Files.readString(file).strip() : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Puts a database's password in place as the folder's password file, readable by its owner only. */
    public static void writePassword(Path folder, String password) throws IOException {
        Path pending = folder.resolve(PENDING_FILE);
        Files.deleteIfExists(pending);
        try {
            Files.createFile(pending, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(pending);
        }
        Files.writeString(pending, password);
        Files.move(pending, folder.resolve(PASSWORD_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String url(Path folder) {
        // WRITE_DELAY=0: a committed transaction is on disk at once, so kill -9 loses nothing (P12).
        return "jdbc:h2:file:" + folder.resolve("modprep") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0;QUERY_CACHE_SIZE=256";
    }

    /** The same database for one process alone: no automatic server, so no other process can open it meanwhile. */
    static String urlAlone(Path folder) {
        return "jdbc:h2:file:" + folder.resolve("modprep") + ";IFEXISTS=TRUE;WRITE_DELAY=0";
    }

    /** Makes the folder private and returns the database's password, setting one on a database without. */
    static String prepare(Path folder) {
        try {
            restrict(folder, "rwx------");
            Path file = folder.resolve(PASSWORD_FILE);
            if (Files.exists(file)) {
                restrict(file, "rw-------");
                return Files.readString(file).strip();
            }
            Path pending = folder.resolve(PENDING_FILE);
            String password = Files.exists(pending) ? Files.readString(pending).strip() : newPassword(pending);
            if (Files.exists(folder.resolve("modprep.mv.db"))) {
                setPassword(folder, password);
            }
            Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE);
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String newPassword(Path pending) throws IOException {
        var bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try {
            Files.createFile(pending, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(pending);
        } catch (FileAlreadyExistsException e) {
            return Files.readString(pending).strip(); // another process of this folder is tightening it too
        }
        Files.writeString(pending, password);
        return password;
    }

    /** A released data folder's database has no password: it gets the pending one (again, if a crash came after). */
    private static void setPassword(Path folder, String password) {
        try (var connection = DriverManager.getConnection(url(folder), USER, "")) {
            try (var statement = connection.prepareStatement("ALTER USER " + USER + " SET PASSWORD ?")) {
                statement.setString(1, password);
                statement.execute();
            }
        } catch (SQLException e) {
            if (e.getErrorCode() != org.h2.api.ErrorCode.WRONG_USER_OR_PASSWORD) {
                throw new IllegalStateException("cannot open the database in the data folder " + folder + ": "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
            }
            // Already set before a crash: the pending password is the database's.
        }
    }

    private static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access rules apply
        }
    }

    /** Creates the data folder if needed, and refuses clearly one that cannot hold a database. */
    static void makeUsable(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data folder " + folder + ": " + why(e), e);
        }
        if (!Files.isWritable(folder)) {
            throw new IllegalStateException("the data folder " + folder + " is not writable");
        }
        refuseIfFull(folder);
    }

    /** Below this, the database could not even be created or opened: say so at once. */
    static final long MIN_FREE_BYTES = 512 * 1024;

    /**
     * A disk with no room left: the pool would retry for its whole initialization timeout (30 s) before
     * failing, on an error that waiting does not cure.
     */
    private static void refuseIfFull(Path folder) {
        long free;
        try {
            free = Files.getFileStore(folder).getUsableSpace();
        } catch (IOException e) {
            return; // not knowable here: the database itself will say what is wrong
        }
        if (free < MIN_FREE_BYTES) {
            throw new java.io.UncheckedIOException(new IOException("No space left on device (" + free / 1024 + " KiB free)"));
        }
    }

    /** Why a folder could not be created, in words (the exceptions' own messages are often just the path). */
    private static String why(IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file of that name is in the way (the data folder must be a folder)";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().equals("Not a directory") ? "a part of its path is a file, not a folder" : fs.getReason();
        }
        return e.getMessage();
    }
}
