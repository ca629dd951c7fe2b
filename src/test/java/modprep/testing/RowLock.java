package modprep.testing;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import modprep.db.Database;

/**
 * A row lock a test takes to hold other transactions at that row (a publish between its checks and
 * its save) until it lets go: the race it stages then happens every time, whatever the machine's speed.
 *
 * <p>H2 fails a statement that waits on a lock for more than two seconds, which would make the test
 * depend on how fast it reaches its release. So the database's sessions are made to wait up to
 * {@link #HANG} (a bound on a hang only): the default lock timeout is raised, and the pool's
 * connections, opened with the old one, are replaced.
 */
public final class RowLock implements AutoCloseable {
    public static final Duration HANG = Duration.ofMinutes(2);

    private final Database database;
    private final Connection holder;

    private RowLock(Database database, Connection holder) {
        this.database = database;
        this.holder = holder;
    }

    /** Runs {@code forUpdate} (a SELECT … FOR UPDATE) in a transaction left open. */
    public static RowLock take(Database database, String forUpdate) {
        try {
            if (database.dialect() == org.jooq.SQLDialect.H2) { // PostgreSQL waits for a lock without a timeout by default
                try (var connection = database.dataSource().getConnection(); var statement = connection.createStatement()) {
                    statement.execute("SET DEFAULT_LOCK_TIMEOUT " + HANG.toMillis());
                }
                ((HikariDataSource) database.dataSource()).getHikariPoolMXBean().softEvictConnections();
            }
            if (database.dialect() != org.jooq.SQLDialect.H2) {
                // PostgreSQL: a foreign key's check takes a KEY SHARE lock on the row it references, which FOR UPDATE
                // would block too (H2's checks take none). FOR NO KEY UPDATE holds back what the test holds back
                // (another FOR UPDATE, an update) and lets a module_lock row that references the module be inserted.
                forUpdate = forUpdate.replaceAll("FOR UPDATE$", "FOR NO KEY UPDATE");
            }
            var holder = database.dataSource().getConnection();
            holder.setAutoCommit(false);
            try (var statement = holder.createStatement()) {
                statement.executeQuery(forUpdate).close();
            }
            return new RowLock(database, holder);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code sessions} sessions wait on a lock (as H2's information_schema.sessions, or pg_stat_activity, shows them). */
    public void awaitWaiting(int sessions) {
        var dsl = database.dsl();
        var waiting = database.dialect() == org.jooq.SQLDialect.H2
                ? dsl.select().from("information_schema.sessions").where("blocker_id is not null")
                : dsl.select().from("pg_stat_activity").where("wait_event_type = 'Lock' and datname = current_database()");
        TestEnvironment.awaitTrue(sessions + " session(s) waiting on the row", HANG, () -> dsl.fetchCount(waiting) >= sessions);
    }

    /** Lets the waiting transactions go on. */
    public void release() {
        try {
            holder.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            holder.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
