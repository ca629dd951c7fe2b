package modprep.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The database every modprep process of one data folder shares: H2 in the data folder by default,
 * in automatic mixed mode so that a CLI command and a running server open it together. Flyway applies
 * the scripts of {@code db/migration} at start-up; jOOQ runs every statement.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final DSLContext dsl;

    private Database(String jdbcUrl, int poolSize) {
        var config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("modprep-db");
        config.setInitializationFailTimeout(30_000);
        var settings = settings();
        // jOOQ's first statement loads and sets up much of jOOQ (0.3-0.4 s): a command that lives seconds
        // has it done on the other core while H2 opens the file and Flyway checks the schema.
        var warmUp = new Thread(() -> DSL.using(SQLDialect.H2, settings).renderInlined(
                DSL.select(DSL.count()).from(DSL.table("t")).where(DSL.field("v").eq(1))), "modprep-jooq-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        dsl = DSL.using(dataSource, SQLDialect.H2, settings);
    }

    /** Generated names are lower case and rendered unquoted, so the same SQL runs on H2 and PostgreSQL. */
    private static Settings settings() {
        return new Settings().withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED);
    }

    /** jOOQ on a connection of one's own (a database looked at before it is put in place), rendering as {@link #dsl()} does. */
    public static DSLContext dsl(java.sql.Connection connection) {
        return DSL.using(connection, SQLDialect.H2, settings());
    }

    /** Opens (creating if needed) the database in a data folder, with a clear error when it cannot. */
    public static Database open(Path dataFolder) {
        Path folder = dataFolder.toAbsolutePath().normalize();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data folder " + folder + ": " + why(e), e);
        }
        if (!Files.isWritable(folder)) {
            throw new IllegalStateException("the data folder " + folder + " is not writable");
        }
        refuseIfFull(folder);
        // WRITE_DELAY=0: a committed transaction is on disk at once, so kill -9 loses nothing (P12).
        return new Database("jdbc:h2:file:" + folder.resolve("modprep") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0;QUERY_CACHE_SIZE=256", 12);
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

    /** A private in-memory database, for tests. */
    public static Database inMemory(String name) {
        return new Database("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=256", 12);
    }

    public DSLContext dsl() {
        return dsl;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs work in one transaction: all of it is stored, or none of it. */
    public <T> T transaction(Function<DSLContext, T> work) {
        return dsl.transactionResult(cfg -> work.apply(cfg.dsl()));
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
