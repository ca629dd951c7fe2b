package modprep.db;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.Table;

/**
 * A query that every request runs (the stamp, the signed-in user), made once and rendered to SQL once
 * per dialect, then run through JDBC with its bind values: jOOQ renders a query again at each run, and
 * for these that was about half of their cost (JFR). Its rows are read into the query's own fields, so
 * {@code row.get(FIELD)} and {@code row.into(TABLE)} work as on jOOQ's own results.
 */
public final class RenderedOnce {
    private final Select<?> query;
    private final Field<?>[] fields;
    private final Map<SQLDialect, String> sql = new ConcurrentHashMap<>();

    /** @param query its bind values are placeholders ({@code DSL.param(...)}), given at each run in their order */
    public RenderedOnce(Select<?> query) {
        this.query = query;
        this.fields = query.getSelect().toArray(Field<?>[]::new);
    }

    /** The one row as a record of that table, or null. */
    public <R extends Record> R fetchOneInto(DSLContext dsl, Table<R> table, Object... binds) {
        var row = fetchOne(dsl, binds);
        return row == null ? null : row.into(table);
    }

    /** The one row, or null; the bind values in the order of the query's placeholders. */
    public Record fetchOne(DSLContext dsl, Object... binds) {
        String text = sql.computeIfAbsent(dsl.dialect(), d -> dsl.render(query));
        return dsl.connectionResult(connection -> {
            try (var statement = connection.prepareStatement(text)) {
                for (int i = 0; i < binds.length; i++) {
                    statement.setObject(i + 1, binds[i]);
                }
                try (var rows = statement.executeQuery()) {
                    return dsl.fetchOne(rows, fields);
                }
            }
        });
    }
}
