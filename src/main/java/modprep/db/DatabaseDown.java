package modprep.db;

import java.sql.SQLTransientConnectionException;

/**
 * No connection now: the database server is not answering (stopped, restarting, out of the network). An
 * SQLException of SQLSTATE 08001, so that what retries on a database failure (the worker, the notifications)
 * retries on it; the console answers 503. Its message names the server, never the password.
 */
public final class DatabaseDown extends SQLTransientConnectionException {
    DatabaseDown(String why, Throwable cause) {
        super("the database is not answering: " + why, "08001", cause);
    }
}
