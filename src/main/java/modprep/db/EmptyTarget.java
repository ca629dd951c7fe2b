package modprep.db;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import modprep.ModprepException;
import modprep.db.schema.DefaultSchema;

/**
 * A PostgreSQL database to move an installation into must hold nothing of anyone's: no table, or only
 * modprep's tables holding no row but those its migrations insert (one a move cut short left migrated).
 * Looked at over a connection of its own, before anything is written there.
 */
public final class EmptyTarget {
    private static final String HISTORY = "flyway_schema_history";

    private EmptyTarget() {
    }

    /** Refuses a server that cannot be used (one line, without the password), and a database that is not empty. */
    public static void require(DatabaseLocation target) {
        Map<String, Long> fresh = null;
        try (var connection = connect(target);
             var tables = connection.createStatement().executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name")) {
            var names = new java.util.ArrayList<String>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            for (String name : names) {
                if (name.equals(HISTORY)) {
                    continue;
                }
                if (DefaultSchema.DEFAULT_SCHEMA.getTable(name) == null) {
                    throw notEmpty(target, "it holds the table " + name + ", which is not modprep's");
                }
                fresh = fresh == null ? freshRows() : fresh;
                try (var count = connection.createStatement().executeQuery("SELECT count(*) FROM \"" + name.replace("\"", "\"\"") + "\"")) {
                    count.next();
                    long rows = count.getLong(1);
                    if (rows > fresh.getOrDefault(name, 0L)) {
                        throw notEmpty(target, "its table " + name + " holds " + rows + " row(s)");
                    }
                }
            }
        } catch (SQLException e) {
            throw DatabaseUnavailable.connecting(target, e);
        }
    }

    private static java.sql.Connection connect(DatabaseLocation target) {
        var properties = new java.util.Properties();
        if (target.user() != null) {
            properties.setProperty("user", target.user());
        }
        if (target.password() != null) {
            properties.setProperty("password", target.password());
        }
        properties.setProperty("ApplicationName", "modprep");
        properties.setProperty("connectTimeout", "10");
        try {
            return DriverManager.getConnection(target.jdbcUrl(), properties);
        } catch (SQLException e) {
            throw DatabaseUnavailable.connecting(target, e);
        }
    }

    /** The rows each table holds just after the migrations (run_in_progress's slots): a fresh database's. */
    private static Map<String, Long> freshRows() {
        var rows = new HashMap<String, Long>();
        try (var fresh = Database.inMemory("fresh-" + java.util.UUID.randomUUID())) {
            for (var table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
                rows.put(table.getName(), (long) fresh.dsl().fetchCount(table));
            }
            fresh.dsl().execute("DROP ALL OBJECTS"); // an in-memory database lives on until the JVM ends: empty it
        }
        return rows;
    }

    private static ModprepException notEmpty(DatabaseLocation target, String why) {
        return ModprepException.refused("the database " + target + " is not empty: " + why
                + "; name a new, empty database (createdb -O USER NAME). Nothing was changed.");
    }
}
