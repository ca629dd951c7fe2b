package modprep.access;

import static modprep.db.schema.Tables.SIGN_IN_FAILURE;

import java.time.Duration;
import java.time.OffsetDateTime;
import modprep.db.Database;
import org.jooq.exception.DataAccessException;

/**
 * Sign-in attempts counted per key (an account from an address, an address) in the database, so that the
 * count holds across threads and across processes sharing the database. An attempt is claimed before its
 * password is checked, by an update guarded by the count it read: of several attempts that read the same
 * count, one wins and the others read again. After a key's free attempts each further one waits, twice
 * as long each time, at most {@link #MAX_WAIT}; a key quiet for that long starts afresh.
 */
final class SignInThrottle {
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    /** Rounds lost to other attempts on the same key before giving up (each round, one attempt wins). */
    private static final int MAX_ROUNDS = 200;

    private final Database database;

    SignInThrottle(Database database) {
        this.database = database;
    }

    /** Counts an attempt on the key; or, when the key must wait (past its free failures), counts nothing and says how long. */
    Duration claim(String key, int freeFailures, OffsetDateTime now) {
        var dsl = database.dsl();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            var row = dsl.selectFrom(SIGN_IN_FAILURE).where(SIGN_IN_FAILURE.THROTTLE_KEY.eq(key)).fetchOne();
            if (row == null) {
                if (insertFirst(key, now)) {
                    return Duration.ZERO;
                }
                continue; // another attempt inserted it first
            }
            boolean stale = row.getLastFailureAt().plus(MAX_WAIT).isBefore(now);
            if (!stale && row.getFailures() >= freeFailures) {
                long seconds = Math.min(MAX_WAIT.toSeconds(), 1L << Math.min(20, row.getFailures() - freeFailures));
                var until = row.getLastFailureAt().plusSeconds(seconds);
                if (until.isAfter(now)) {
                    return Duration.between(now, until);
                }
            }
            int claimed = dsl.update(SIGN_IN_FAILURE)
                    .set(SIGN_IN_FAILURE.FAILURES, stale ? 1 : row.getFailures() + 1)
                    .set(SIGN_IN_FAILURE.LAST_FAILURE_AT, now)
                    .where(SIGN_IN_FAILURE.THROTTLE_KEY.eq(key), SIGN_IN_FAILURE.FAILURES.eq(row.getFailures()),
                            SIGN_IN_FAILURE.LAST_FAILURE_AT.eq(row.getLastFailureAt()))
                    .execute();
            if (claimed == 1) {
                return Duration.ZERO;
            }
        }
        // Hundreds of attempts on one key at the same moment: hold this one back rather than loop on.
        return Duration.ofSeconds(1);
    }

    private boolean insertFirst(String key, OffsetDateTime now) {
        try {
            return database.dsl().insertInto(SIGN_IN_FAILURE).set(SIGN_IN_FAILURE.THROTTLE_KEY, key)
                    .set(SIGN_IN_FAILURE.FAILURES, 1).set(SIGN_IN_FAILURE.LAST_FAILURE_AT, now)
                    .onConflictDoNothing().execute() == 1;
        } catch (DataAccessException e) {
            return false; // inserted by another attempt in between (H2's MERGE can say so as a duplicate key)
        }
    }

    /** Gives back an attempt that was claimed but did not fail (the password was not checked, or was right). */
    void refund(String key) {
        database.dsl().update(SIGN_IN_FAILURE).set(SIGN_IN_FAILURE.FAILURES, SIGN_IN_FAILURE.FAILURES.minus(1))
                .where(SIGN_IN_FAILURE.THROTTLE_KEY.eq(key), SIGN_IN_FAILURE.FAILURES.gt(0)).execute();
    }

    /** Forgets the key's attempts. */
    void clear(String key) {
        database.dsl().deleteFrom(SIGN_IN_FAILURE).where(SIGN_IN_FAILURE.THROTTLE_KEY.eq(key)).execute();
    }
}
