package modprep.testing;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import modprep.Modprep;
import modprep.db.Sha256;
import modprep.db.schema.DefaultSchema;
import org.jooq.DSLContext;
import org.jooq.Record;
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

    public static Map<String, String> of(DSLContext dsl) {
        var dump = new LinkedHashMap<String, String>();
        for (Table<?> table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
            var query = dsl.selectFrom(table);
            var key = table.getPrimaryKey();
            var rows = key == null ? query.fetch() : query.orderBy(key.getFields()).fetch();
            dump.put(table.getName(), rows.stream().map(DatabaseDump::line).collect(Collectors.joining("\n")));
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

    private static String line(Record record) {
        return Arrays.stream(record.intoArray())
                .map(v -> v instanceof byte[] bytes ? "sha256:" + Sha256.of(bytes) : String.valueOf(v))
                .collect(Collectors.joining(" | "));
    }
}
