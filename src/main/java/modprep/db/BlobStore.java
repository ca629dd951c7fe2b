package modprep.db;

import static modprep.db.schema.Tables.STORED_BLOB;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Content-addressed storage in the database: a blob's name is the SHA-256 of its bytes, so the same
 * sources or the same compiled jar is stored once, and it commits or rolls back with the rest.
 */
public record BlobStore(DSLContext dsl) {

    /** Stores the bytes unless already there; returns their SHA-256. */
    public String put(byte[] content) {
        String sha = Sha256.of(content);
        insertOnce(dsl.insertInto(STORED_BLOB)
                .set(STORED_BLOB.SHA256, sha)
                .set(STORED_BLOB.SIZE_BYTES, content.length)
                .set(STORED_BLOB.CONTENT, content)
                .onConflictDoNothing());
        return sha;
    }

    /** Stores many blobs (by their SHA-256) in one batch, those already there left as they are. */
    public void putAll(Map<String, byte[]> blobs) {
        if (blobs.isEmpty()) {
            return;
        }
        var known = dsl.select(STORED_BLOB.SHA256).from(STORED_BLOB).where(STORED_BLOB.SHA256.in(blobs.keySet()))
                .fetchSet(STORED_BLOB.SHA256);
        var insert = dsl.batch(dsl.insertInto(STORED_BLOB, STORED_BLOB.SHA256, STORED_BLOB.SIZE_BYTES, STORED_BLOB.CONTENT)
                .values((String) null, (Integer) null, (byte[]) null).onConflictDoNothing());
        int count = 0;
        for (var blob : blobs.entrySet()) {
            if (!known.contains(blob.getKey())) {
                insert.bind(blob.getKey(), blob.getValue().length, blob.getValue());
                count++;
            }
        }
        if (count == 0) {
            return;
        }
        try {
            insert.execute();
        } catch (org.jooq.exception.DataAccessException raced) {
            // A concurrent transaction stored some of them first: store the rest one by one.
            blobs.values().forEach(this::put);
        }
    }

    /**
     * Runs an insert of content-addressed data that may already be there. Two transactions inserting
     * the same key at once can both miss it in H2's MERGE: the loser's row is the same bytes, so its
     * duplicate key is no error. (PostgreSQL's ON CONFLICT DO NOTHING never raises it.)
     */
    public static void insertOnce(org.jooq.Query insert) {
        try {
            insert.execute();
        } catch (org.jooq.exception.IntegrityConstraintViolationException duplicate) {
            // already stored by a concurrent transaction
        }
    }

    public byte[] get(String sha) {
        byte[] content = dsl.select(STORED_BLOB.CONTENT).from(STORED_BLOB).where(STORED_BLOB.SHA256.eq(sha))
                .fetchOne(STORED_BLOB.CONTENT);
        if (content == null) {
            throw new IllegalStateException("stored blob " + sha + " is missing");
        }
        return content;
    }

    public Map<String, byte[]> getAll(Collection<String> shas) {
        return new HashMap<>(dsl.select(STORED_BLOB.SHA256, STORED_BLOB.CONTENT).from(STORED_BLOB).where(STORED_BLOB.SHA256.in(shas))
                .fetchMap(STORED_BLOB.SHA256, STORED_BLOB.CONTENT));
    }
}
