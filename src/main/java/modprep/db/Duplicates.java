package modprep.db;

import java.util.Optional;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.exception.DataAccessException;

/**
 * Inserts that leave a taken key alone ({@code ON CONFLICT DO NOTHING}), when another transaction
 * inserts the same key at the same moment. PostgreSQL's {@code ON CONFLICT DO NOTHING} covers that case;
 * jOOQ renders it on H2 as a {@code MERGE}, which does not: the later of two such inserts fails on the
 * unique index once the first commits (FirstAdministratorTest: four nodes starting at once).
 */
public final class Duplicates {
    /** The SQL state of a unique or primary key violation, on both databases. */
    private static final String UNIQUE_VIOLATION = "23505";

    private Duplicates() {
    }

    /** The row the insert returns, or none when its key is taken, also by another transaction at this very moment. */
    public static <R extends Record> Optional<R> unlessTaken(ResultQuery<R> insert) {
        try {
            return insert.fetchOptional();
        } catch (DataAccessException e) {
            if (UNIQUE_VIOLATION.equals(e.sqlState())) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
