package modprep.testing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import modprep.Modprep;
import modprep.db.Sha256;
import modprep.db.schema.DefaultSchema;
import org.jooq.DSLContext;
import org.jooq.Table;

/**
 * Every row of every table of the schema, as text, so that a test can say "nothing changed" by comparing
 * two dumps (binary columns are shown by their SHA-256). Meant for the small databases of the tests.
 */
public final class DatabaseDump {
    private DatabaseDump() {
    }

    /** Table name to its rows, each row one line, in primary-key order. */
    public static Map<String, String> of(Modprep app) {
        return of(app.database().dsl());
    }

    /**
     * Read over plain JDBC, one statement per table: the fuzz test dumps the database after each of ten
     * thousand cases, and jOOQ's records and their formatting took four fifths of its time.
     */
    public static Map<String, String> of(DSLContext dsl) {
        return dsl.connectionResult(connection -> {
            var dump = new LinkedHashMap<String, String>();
            try (var statement = connection.createStatement()) {
                for (Table<?> table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
                    String sql = QUERIES.computeIfAbsent(table.getName(), name -> {
                        var key = table.getPrimaryKey();
                        var query = dsl.selectFrom(table);
                        return dsl.render(key == null ? query : query.orderBy(key.getFields()));
                    });
                    try (ResultSet rows = statement.executeQuery(sql)) {
                        dump.put(table.getName(), text(rows));
                    }
                }
            }
            return dump;
        });
    }

    private static final Map<String, String> QUERIES = new ConcurrentHashMap<>();

    /** Each row one line, its values separated by " | " (binary values by their SHA-256). */
    private static String text(ResultSet rows) throws SQLException {
        int columns = rows.getMetaData().getColumnCount();
        var text = new StringBuilder();
        while (rows.next()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            for (int i = 1; i <= columns; i++) {
                if (i > 1) {
                    text.append(" | ");
                }
                Object value = rows.getObject(i);
                text.append(value instanceof byte[] bytes ? "sha256:" + Sha256.of(bytes) : String.valueOf(value));
            }
        }
        return text.toString();
    }

    /**
     * The same through jOOQ's records, alike on H2 and PostgreSQL (the drivers give times back differently):
     * a time as its instant, a binary value by its SHA-256. For comparing one installation on both.
     */
    public static Map<String, String> portable(DSLContext dsl) {
        var dump = new LinkedHashMap<String, String>();
        for (Table<?> table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
            var key = table.getPrimaryKey();
            var query = dsl.selectFrom(table);
            var rows = (key == null ? query.orderBy(table.fields()) : query.orderBy(key.getFields())).fetch();
            var text = new StringBuilder();
            for (var row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    Object value = row.get(i);
                    text.append(i == 0 ? "" : " | ").append(value instanceof byte[] bytes ? "sha256:" + Sha256.of(bytes)
                            : value instanceof java.time.OffsetDateTime time ? time.toInstant() : value);
                }
                text.append('\n');
            }
            dump.put(table.getName(), text.toString());
        }
        return dump;
    }

    /** Table name to its number of rows. */
    public static Map<String, Integer> counts(Modprep app) {
        var counts = new LinkedHashMap<String, Integer>();
        for (Table<?> table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
            counts.put(table.getName(), app.database().dsl().fetchCount(table));
        }
        return counts;
    }

}
