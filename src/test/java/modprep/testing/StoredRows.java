package modprep.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modprep.db.Sha256;

/**
 * Every row of every table as the database stores it, read with plain JDBC: unlike {@link DatabaseDump}
 * it needs no generated schema, so it reads a database of an older schema (a data folder of a previous
 * release) before the current code migrates it, and the same tables and columns after.
 */
public final class StoredRows {
    private StoredRows() {
    }

    /** A table's columns in their order, and its rows as lines (binary values by their SHA-256), sorted. */
    public record Table(List<String> columns, List<String> rows) {
    }

    /** Every table of the PUBLIC schema (Flyway's history too), by name. */
    public static Map<String, Table> of(Connection connection) throws SQLException {
        var tables = new LinkedHashMap<String, Table>();
        for (String name : strings(connection, "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
                + "WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
            var columns = columns(connection, name);
            tables.put(name, new Table(columns, rows(connection, name, columns)));
        }
        return tables;
    }

    public static List<String> columns(Connection connection, String table) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            statement.setString(1, table);
            var result = new ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
            }
            return result;
        }
    }

    /** The table's rows reduced to these columns, each row one line, sorted (so the order rows were read in does not matter). */
    public static List<String> rows(Connection connection, String table, Collection<String> columns) throws SQLException {
        var select = String.join(", ", columns.stream().map(StoredRows::quoted).toList());
        var lines = new ArrayList<String>();
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT " + select + " FROM " + quoted(table))) {
            int count = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                var line = new StringBuilder();
                for (int i = 1; i <= count; i++) {
                    Object value = rows.getObject(i);
                    line.append(i > 1 ? " | " : "").append(value instanceof byte[] bytes ? "sha256:" + Sha256.of(bytes) : value);
                }
                lines.add(line.toString());
            }
        }
        lines.sort(null);
        return lines;
    }

    /** Lines of {@code before} that {@code after} does not have (as many times as they are missing). */
    public static List<String> missing(List<String> before, List<String> after) {
        var left = new ArrayList<>(after);
        var result = new ArrayList<String>();
        for (String line : before) {
            if (!left.remove(line)) {
                result.add(line);
            }
        }
        return result;
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        var result = new ArrayList<String>();
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                result.add(rows.getString(1));
            }
        }
        return result;
    }

    private static String quoted(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
