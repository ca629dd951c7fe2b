package modprep.db;

import java.sql.SQLException;

/**
 * The database could not be used at all: not reachable, the credentials refused, no such database, or a
 * schema newer than this modprep knows. The message is one line for the operator, without the password.
 */
public final class DatabaseUnavailable extends RuntimeException {
    public enum Reason {
        UNREACHABLE, CREDENTIALS, NO_SUCH_DATABASE, SCHEMA_NEWER
    }

    private final Reason reason;

    public DatabaseUnavailable(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** What the operator gave was wrong (a user, a password, a database name), not the server's state. */
    public boolean badInput() {
        return reason == Reason.CREDENTIALS || reason == Reason.NO_SUCH_DATABASE;
    }

    /** What a failed first connection to a server means, from the SQL state the driver gave. */
    static DatabaseUnavailable connecting(DatabaseLocation where, Throwable failure) {
        SQLException sql = null;
        for (Throwable t = failure; t != null && sql == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e) {
                sql = e;
            }
        }
        String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        String cause = sql == null ? String.valueOf(failure.getMessage()) : String.valueOf(sql.getMessage());
        cause = cause.strip().lines().findFirst().orElse("");
        if (state.startsWith("28") || state.equals("08004")) {
            return new DatabaseUnavailable(Reason.CREDENTIALS, "the database " + where + " refused the credentials: " + cause
                    + " (the password comes from " + DatabaseLocation.PASSWORD_VARIABLE + " or the file "
                    + DatabaseLocation.PASSWORD_FILE_VARIABLE + " names)");
        }
        if (state.equals("3D000")) {
            return new DatabaseUnavailable(Reason.NO_SUCH_DATABASE, "the server of " + where + " has no such database: " + cause
                    + " (create it first, e.g. createdb -O USER modprep)");
        }
        return new DatabaseUnavailable(Reason.UNREACHABLE, "cannot reach the database " + where + ": " + cause);
    }
}
