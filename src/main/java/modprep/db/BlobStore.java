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
        dsl.insertInto(STORED_BLOB)
                .set(STORED_BLOB.SHA256, sha)
                .set(STORED_BLOB.SIZE_BYTES, content.length)
                .set(STORED_BLOB.CONTENT, content)
                .onConflictDoNothing()
                .execute();
        return sha;
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
        var found = new HashMap<String, byte[]>();
        dsl.select(STORED_BLOB.SHA256, STORED_BLOB.CONTENT).from(STORED_BLOB).where(STORED_BLOB.SHA256.in(shas))
                .forEach(r -> found.put(r.value1(), r.value2()));
        return found;
    }
}
