package modprep.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The database every modprep process of one installation shares: H2 in the data folder by default, in
 * automatic mixed mode so that a CLI command and a running server open it together, or a PostgreSQL
 * server ({@code --database}). Flyway applies the scripts of {@code db/migration} at start-up, the same
 * on both, and refuses a schema newer than this modprep knows; jOOQ runs every statement, in the
 * database's own dialect.
 */
public final class Database implements AutoCloseable {
    static {
        H2Folder.listenOnLoopbackOnly();
    }

    private final HikariDataSource dataSource;
    private final DSLContext dsl;
    private final SQLDialect dialect;

    private Database(HikariConfig config, SQLDialect dialect, java.util.function.UnaryOperator<RuntimeException> failure) {
        this.dialect = dialect;
        config.setPoolName("modprep-db");
        var settings = settings();
        // jOOQ's first statement loads and sets up much of jOOQ (0.3-0.4 s): a command that lives seconds
        // has it done on the other core while H2 opens the file and Flyway checks the schema.
        var warmUp = new Thread(() -> DSL.using(dialect, settings).renderInlined(
                DSL.select(DSL.count()).from(DSL.table("t")).where(DSL.field("v").eq(1))), "modprep-jooq-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw failure.apply(e);
        }
        try {
            SchemaCheck.migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        dsl = DSL.using(dataSource, dialect, settings);
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
        var config = new HikariConfig();
        config.setJdbcUrl(H2Folder.url(folder));
        config.setUsername(H2Folder.USER);
        config.setPassword(H2Folder.prepare(folder));
        config.setMaximumPoolSize(12);
        config.setInitializationFailTimeout(30_000);
        return new Database(config, SQLDialect.H2, e -> e);
    }

    /**
     * The data folder's existing database, for this process alone (no automatic server): a server or command
     * that tries to open it meanwhile is refused, so what is read from it stays as it is (modprep move-to).
     */
    public static Database openAlone(Path dataFolder) {
        Path folder = dataFolder.toAbsolutePath().normalize();
        var config = new HikariConfig();
        config.setJdbcUrl(H2Folder.urlAlone(folder));
        config.setUsername(H2Folder.USER);
        config.setPassword(H2Folder.prepare(folder));
        config.setMaximumPoolSize(4);
        config.setInitializationFailTimeout(1);
        return new Database(config, SQLDialect.H2, e -> {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                    return modprep.ModprepException.refused("the data folder " + folder
                            + " is in use by another modprep process: stop it and run the command again");
                }
            }
            return e;
        });
    }

    /** Connects to a PostgreSQL server, failing at once, in one line, when it cannot be used. */
    public static Database connect(DatabaseLocation location) {
        var config = new HikariConfig();
        config.setJdbcUrl(location.jdbcUrl());
        config.setUsername(location.user());
        config.setPassword(location.password());
        config.setMaximumPoolSize(12);
        // One attempt: a wrong password or host is not cured by retrying for 30 s.
        config.setInitializationFailTimeout(1);
        config.addDataSourceProperty("ApplicationName", "modprep");
        config.addDataSourceProperty("connectTimeout", "10");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new Database(config, SQLDialect.POSTGRES, e -> DatabaseUnavailable.connecting(location, e));
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
        var config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=256");
        config.setUsername(H2Folder.USER);
        config.setPassword("");
        config.setMaximumPoolSize(12);
        return new Database(config, SQLDialect.H2, e -> e);
    }

    /** H2 or POSTGRES: what jOOQ renders for. */
    public SQLDialect dialect() {
        return dialect;
    }

    /** The pool's connections, waits and timeouts measured in this registry (GET /metrics); once per database. */
    public synchronized void trackPool(io.micrometer.core.instrument.MeterRegistry meters) {
        if (dataSource.getMetricsTrackerFactory() == null) {
            dataSource.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(meters));
        }
    }

    /** What is wrong with the schema (GET /health): empty when it is the one this modprep knows, migrated. */
    public java.util.Optional<String> schemaProblem() {
        return SchemaCheck.problem(dataSource);
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
