package modprep.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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

    /** How long a request waits for a connection of a busy pool (Hikari's default, set for PostgreSQL too). */
    public static final long POOL_WAIT_MILLIS = 30_000;
    /** Connections in the pool of each process. */
    public static final int POOL_SIZE = 12;

    private final HikariDataSource pool;
    /** What everything uses: the pool, or on a server the pool told whether the server answers. */
    private final DataSource dataSource;
    /** Whether the server answers (null for H2, which lives in this process or beside it). */
    private final Reachability reachability;
    private final DSLContext dsl;
    private final SQLDialect dialect;

    private Database(HikariConfig config, SQLDialect dialect, java.util.function.UnaryOperator<RuntimeException> failure,
                     Function<HikariDataSource, Reachability> watch) {
        this.dialect = dialect;
        config.setPoolName("modprep-db");
        config.setMaximumPoolSize(POOL_SIZE);
        var settings = settings();
        // jOOQ's first statement loads and sets up much of jOOQ (0.3-0.4 s): a command that lives seconds
        // has it done on the other core while H2 opens the file and Flyway checks the schema.
        var warmUp = new Thread(() -> DSL.using(dialect, settings).renderInlined(
                DSL.select(DSL.count()).from(DSL.table("t")).where(DSL.field("v").eq(1))), "modprep-jooq-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw failure.apply(e);
        }
        try {
            SchemaCheck.migrate(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        reachability = watch == null ? null : watch.apply(pool);
        dataSource = reachability == null ? pool : new GuardedPool(pool, reachability);
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
        H2Folder.makeUsable(folder);
        var config = new HikariConfig();
        config.setJdbcUrl(H2Folder.url(folder));
        config.setUsername(H2Folder.USER);
        config.setPassword(H2Folder.prepare(folder));
        config.setInitializationFailTimeout(30_000);
        return new Database(config, SQLDialect.H2, e -> e, null);
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
        }, null);
    }

    /** Connects to a PostgreSQL server, failing at once, in one line, when it cannot be used. */
    public static Database connect(DatabaseLocation location) {
        var config = new HikariConfig();
        config.setJdbcUrl(location.jdbcUrl());
        config.setUsername(location.user());
        config.setPassword(location.password());
        // One attempt: a wrong password or host is not cured by retrying for 30 s.
        config.setInitializationFailTimeout(1);
        // A busy pool: a request waits up to 30 s for a connection. A server that does not answer is told apart
        // (Reachability) and refused at once, so this wait is never spent on an outage.
        config.setConnectionTimeout(POOL_WAIT_MILLIS);
        // An idle connection is checked before it is handed out: a dead one (the server restarted) is found in 1 s, not 5.
        config.setValidationTimeout(1_000);
        config.addDataSourceProperty("ApplicationName", "modprep");
        config.addDataSourceProperty("connectTimeout", "5"); // seconds, for the TCP connection
        config.addDataSourceProperty("loginTimeout", "10"); // seconds, for connecting and signing in
        // A statement of modprep takes well under a second; without an answer in 2 minutes the server is gone without
        // a word (a network cut), which TCP keep-alive would tell only after two hours.
        config.addDataSourceProperty("socketTimeout", "120");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new Database(config, SQLDialect.POSTGRES, e -> DatabaseUnavailable.connecting(location, e),
                pool -> new Reachability(location.toString(), () -> probe(location),
                        () -> pool.getHikariPoolMXBean().softEvictConnections()));
    }

    /** One connection of its own, outside the pool, with short timeouts: does the server answer now? */
    private static Void probe(DatabaseLocation location) throws java.sql.SQLException {
        var properties = new java.util.Properties();
        properties.setProperty("user", location.user());
        properties.setProperty("password", location.password());
        properties.setProperty("ApplicationName", "modprep probe");
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("loginTimeout", "5");
        properties.setProperty("socketTimeout", "5");
        try (var connection = new org.postgresql.Driver().connect(location.jdbcUrl(), properties);
             var statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
        return null;
    }

    /** A private in-memory database, for tests. */
    public static Database inMemory(String name) {
        var config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=256");
        config.setUsername(H2Folder.USER);
        config.setPassword("");
        return new Database(config, SQLDialect.H2, e -> e, null);
    }

    /** Whether the database is a data folder's own (H2), not a server's (--database). */
    public static boolean inDataFolder(DSLContext dsl) {
        return dsl.dialect().family() == SQLDialect.H2;
    }

    /** The database as a message names it: "this data folder" (its own, H2), or "the database" (a server's, --database). */
    public static String named(DSLContext dsl) {
        return inDataFolder(dsl) ? "this data folder" : "the database";
    }

    /** H2 or POSTGRES: what jOOQ renders for. */
    public SQLDialect dialect() {
        return dialect;
    }

    /** The pool's connections, waits and timeouts measured in this registry (GET /metrics); once per database. */
    public synchronized void trackPool(io.micrometer.core.instrument.MeterRegistry meters) {
        if (pool.getMetricsTrackerFactory() == null) {
            pool.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(meters));
        }
    }

    /** What is wrong with the schema (GET /health): empty when it is the one this modprep knows, migrated. */
    public java.util.Optional<String> schemaProblem() {
        return SchemaCheck.problem(dataSource);
    }

    public DSLContext dsl() {
        return dsl;
    }

    /**
     * Whether a failure is the database not answering (GET /health, the console's 503): a connection refused or
     * lost while the server is down, as a probe outside the pool confirms. A busy pool is not; nor is H2.
     */
    public boolean unavailable(Throwable failure) {
        if (reachability == null || !Reachability.lostConnection(failure)) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseDown) {
                return true;
            }
        }
        return !reachability.answers();
    }

    /** Whether a failure, or one of its causes, is a connection to the database refused or lost (SQLSTATE 08, a server shutting down). */
    public static boolean connectionLost(Throwable failure) {
        return Reachability.lostConnection(failure);
    }

    /** Whether the server answers a connection of its own, outside the pool (a busy pool is no outage); H2: no such thing. */
    public boolean answersOutsideThePool() {
        return reachability != null && reachability.answers();
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
        if (reachability != null) {
            reachability.close();
        }
        pool.close();
    }
}
