package modprep.db;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The pool of a database server, told by {@link Reachability} whether the server answers: while it does not,
 * a connection is refused at once ({@link DatabaseDown}) instead of after the pool's timeout, and whoever
 * waits for one is woken and refused. While it answers, a busy pool makes requests wait as the pool does.
 */
final class GuardedPool implements DataSource {
    private final HikariDataSource pool;
    private final Reachability reachability;

    GuardedPool(HikariDataSource pool, Reachability reachability) {
        this.pool = pool;
        this.reachability = reachability;
    }

    @Override
    public Connection getConnection() throws SQLException {
        reachability.refuseIfDown();
        try (var waiting = reachability.waiting()) {
            return pool.getConnection();
        } catch (SQLException e) {
            throw reachability.failed(e);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool's connections all use the database's user");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
