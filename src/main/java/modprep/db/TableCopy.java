package modprep.db;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modprep.db.schema.DefaultSchema;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Copies every table of modprep's schema from one database into another of the same schema version, in one
 * transaction of the target: tables in foreign-key order (a cycle, module and module_code, is broken by
 * inserting the nullable references later), rows in batches, identity sequences set past the copied ids,
 * and each table's row count and checksum compared on both sides before the transaction commits.
 */
public final class TableCopy {
    /** One table copied: its rows, and the checksum both sides agree on (a sum of every row's SHA-256). */
    public record Copied(String table, long rows, String checksum) {
    }

    /** Rows per insert statement, and a batch's bytes: a table of jars goes over in batches of a few MB. */
    private static final int BATCH_ROWS = 500;
    private static final long BATCH_BYTES = 8L * 1024 * 1024;
    /** PostgreSQL's limit on the bind values of one statement. */
    private static final int MAX_BINDS = 30_000;

    private TableCopy() {
    }

    /** The schema's tables, in the order rows can be inserted, each with the references set after every table is in. */
    record Step(Table<?> table, List<Field<?>> later) {
    }

    static List<Step> order() {
        var left = new ArrayList<Table<?>>(DefaultSchema.DEFAULT_SCHEMA.getTables());
        var done = new HashSet<Table<?>>();
        var steps = new ArrayList<Step>();
        while (!left.isEmpty()) {
            Step next = null;
            for (var table : left) {
                if (unmet(table, done).isEmpty()) {
                    next = new Step(table, List.of());
                    break;
                }
            }
            for (int i = 0; next == null && i < left.size(); i++) {
                var later = unmet(left.get(i), done);
                if (later.stream().allMatch(f -> f.getDataType().nullable())) {
                    next = new Step(left.get(i), later);
                }
            }
            if (next == null) {
                throw new IllegalStateException("no order to copy the tables " + left + " in: their references form a cycle of required columns");
            }
            steps.add(next);
            done.add(next.table());
            left.remove(next.table());
        }
        return steps;
    }

    /** The referencing columns of a table whose referenced table is not copied yet (itself included). */
    private static List<Field<?>> unmet(Table<?> table, Set<Table<?>> done) {
        var fields = new ArrayList<Field<?>>();
        for (var key : table.getReferences()) {
            if (!done.contains(key.getKey().getTable())) {
                fields.addAll(key.getFields());
            }
        }
        return fields;
    }

    /**
     * Copies source into target, which must hold this schema and no rows but those its migrations insert (they are
     * replaced). Nothing is committed unless every table's count and checksum agree.
     */
    public static List<Copied> copy(Database source, Database target) {
        if (target.dialect() != SQLDialect.POSTGRES) {
            throw new IllegalArgumentException("copies into PostgreSQL only, not " + target.dialect());
        }
        var steps = order();
        return target.transaction(into -> {
            for (int i = steps.size() - 1; i >= 0; i--) {
                into.deleteFrom(steps.get(i).table()).execute();
            }
            var copied = new ArrayList<Copied>();
            var pending = new LinkedHashMap<Step, List<Record>>();
            for (var step : steps) {
                copied.add(copyTable(source.dsl(), into, step, pending));
            }
            pending.forEach((step, rows) -> setLater(into, step, rows));
            for (var step : steps) {
                resetIdentity(into, step.table());
            }
            for (var done : copied) {
                var table = DefaultSchema.DEFAULT_SCHEMA.getTable(done.table());
                var there = sum(into, table);
                if (there.rows() != done.rows() || !there.checksum().equals(done.checksum())) {
                    throw new IllegalStateException("the copy of " + done.table() + " differs from the original (" + done.rows()
                            + " rows, checksum " + done.checksum() + "; copied: " + there.rows() + " rows, checksum "
                            + there.checksum() + "); nothing was stored");
                }
            }
            return copied;
        });
    }

    private static Copied copyTable(DSLContext from, DSLContext into, Step step, Map<Step, List<Record>> pending) {
        Table<?> table = step.table();
        Field<?>[] fields = table.fields();
        var later = new HashSet<>(step.later());
        var sum = BigInteger.ZERO;
        long rows = 0;
        int maxRows = Math.max(1, Math.min(BATCH_ROWS, MAX_BINDS / fields.length));
        var batch = new ArrayList<Object[]>();
        long batchBytes = 0;
        try (var cursor = from.selectFrom(table).fetchSize(BATCH_ROWS).fetchLazy()) {
            for (Record row : cursor) {
                rows++;
                sum = sum.add(digest(row));
                var values = new Object[fields.length];
                boolean laterSet = false;
                for (int i = 0; i < fields.length; i++) {
                    Object value = row.get(fields[i]);
                    if (later.contains(fields[i]) && value != null) {
                        laterSet = true;
                        value = null;
                    }
                    values[i] = value;
                    batchBytes += value instanceof byte[] bytes ? bytes.length : 16;
                }
                if (laterSet) {
                    pending.computeIfAbsent(step, s -> new ArrayList<>()).add(row);
                }
                batch.add(values);
                if (batch.size() >= maxRows || batchBytes >= BATCH_BYTES) {
                    insert(into, table, fields, batch);
                    batchBytes = 0;
                }
            }
        }
        insert(into, table, fields, batch);
        return new Copied(table.getName(), rows, shown(sum));
    }

    private static void insert(DSLContext into, Table<?> table, Field<?>[] fields, List<Object[]> batch) {
        if (batch.isEmpty()) {
            return;
        }
        var insert = into.insertInto(table).columns(fields);
        for (Object[] values : batch) {
            var row = new ArrayList<Field<?>>(fields.length);
            for (int i = 0; i < fields.length; i++) {
                row.add(DSL.val(values[i], fields[i]));
            }
            insert = insert.values(row);
        }
        insert.execute();
        batch.clear();
    }

    /** The references left out at first (a cycle), set now that every row they point to is in. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void setLater(DSLContext into, Step step, List<Record> rows) {
        var key = step.table().getPrimaryKey();
        var queries = new ArrayList<org.jooq.Query>();
        for (Record row : rows) {
            var update = into.update(step.table());
            org.jooq.UpdateSetMoreStep<?> set = null;
            for (Field field : step.later()) {
                set = set == null ? update.set(field, row.get(field)) : set.set(field, row.get(field));
            }
            var condition = DSL.noCondition();
            for (Field field : key.getFields()) {
                condition = condition.and(field.eq(row.get(field)));
            }
            queries.add(set.where(condition));
            if (queries.size() == BATCH_ROWS) {
                into.batch(queries).execute();
                queries.clear();
            }
        }
        if (!queries.isEmpty()) {
            into.batch(queries).execute();
        }
    }

    /** PostgreSQL's identity sequence goes on past the copied ids, so the next row inserted does not collide. */
    private static void resetIdentity(DSLContext into, Table<?> table) {
        var identity = table.getIdentity();
        if (identity == null) {
            return;
        }
        Field<?> id = identity.getField();
        into.resultQuery("SELECT setval(pg_get_serial_sequence({0}, {1}), coalesce((SELECT max({2}) FROM {3}), 0) + 1, false)",
                DSL.inline(table.getName()), DSL.inline(id.getName()), DSL.name(id.getName()), table).fetch();
    }

    /** A table's rows and their checksum, as {@link #copy} computes them on the source. */
    static Copied sum(DSLContext dsl, Table<?> table) {
        var sum = BigInteger.ZERO;
        long rows = 0;
        try (var cursor = dsl.selectFrom(table).fetchSize(BATCH_ROWS).fetchLazy()) {
            for (Record row : cursor) {
                rows++;
                sum = sum.add(digest(row));
            }
        }
        return new Copied(table.getName(), rows, shown(sum));
    }

    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

    private static String shown(BigInteger sum) {
        return String.format("%064x", sum.mod(MODULUS)).substring(0, 16);
    }

    /** A row's SHA-256 over its values as both databases give them back (a time as its instant, whatever its offset). */
    private static BigInteger digest(Record row) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < row.size(); i++) {
            Object value = row.get(i);
            byte[] bytes = value == null ? new byte[] {0} : value instanceof byte[] b ? b
                    : (value instanceof OffsetDateTime time ? time.toInstant().toString() : value.toString()).getBytes(StandardCharsets.UTF_8);
            sha.update(java.nio.ByteBuffer.allocate(5).put((byte) (value == null ? 0 : 1)).putInt(bytes.length).array());
            sha.update(bytes);
        }
        return new BigInteger(1, sha.digest());
    }
}
