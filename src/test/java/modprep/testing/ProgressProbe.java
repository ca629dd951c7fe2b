package modprep.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Reads a run's progress again and again, cheaply, while child processes work on it: through one
 * connection to the database of a data folder, or through a DSLContext the test already has (a
 * PostgreSQL database shared by several nodes, say).
 *
 * <p>A data folder's H2 file is held by the child process in automatic mixed mode, so this test JVM
 * reads it through the child's server. Ask it only once the child holds the database (it printed
 * something it read there), and close it before the next child starts: a probe that opened the file
 * first would make the child a client of this JVM.
 */
public final class ProgressProbe implements Supplier<RunProgress>, AutoCloseable {
    private static final Settings SETTINGS = new Settings().withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED);

    private final String url;
    private final DSLContext given;
    private final Function<DSLContext, RunProgress> progress;
    private Connection connection;

    private ProgressProbe(String url, DSLContext given, Function<DSLContext, RunProgress> progress) {
        this.url = url;
        this.given = given;
        this.progress = progress;
    }

    /** The progress of a run in a data folder's database (the URL modprep's Database opens, but one plain connection). */
    public static ProgressProbe of(Path dataFolder, Function<DSLContext, RunProgress> progress) {
        Path file = dataFolder.toAbsolutePath().normalize().resolve("modprep");
        return new ProgressProbe("jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;WRITE_DELAY=0;QUERY_CACHE_SIZE=256", null, progress);
    }

    /** The progress of a run in a database the test reaches through {@code dsl}. */
    public static ProgressProbe of(DSLContext dsl, Function<DSLContext, RunProgress> progress) {
        return new ProgressProbe(null, dsl, progress);
    }

    @Override
    public RunProgress get() {
        if (given != null) {
            return progress.apply(given);
        }
        try {
            return progress.apply(dsl());
        } catch (DataAccessException e) {
            // The process serving the file is gone (killed, or ended): read again through a new connection.
            close();
            return progress.apply(dsl());
        }
    }

    /** The password modprep keeps beside the database (none before it first opened it). */
    private String password() {
        Path file = Path.of(url.substring("jdbc:h2:file:".length(), url.indexOf(';'))).resolveSibling("modprep.password");
        try {
            return java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file).strip() : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private DSLContext dsl() {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(url, "sa", password());
            }
            return DSL.using(connection, SQLDialect.H2, SETTINGS);
        } catch (SQLException e) {
            throw new DataAccessException("cannot open " + url, e);
        }
    }

    /** Lets go of the database (a no-op for a DSLContext given). */
    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // a connection to a killed process: nothing to release
            }
            connection = null;
        }
    }
}
