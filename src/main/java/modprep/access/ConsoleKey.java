package modprep.access;

import static modprep.db.schema.Tables.CONSOLE_KEY;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import modprep.db.Database;

/**
 * The installation's secret key for what the console signs before there is a session (the sign-in form's
 * token): one row, made by the first console that asks, read by every other. Every node of an
 * installation, and a node after its restart, accepts what another signed.
 */
public final class ConsoleKey {
    private ConsoleKey() {
    }

    /** The key that signs the sign-in form's token, 32 random bytes. */
    public static byte[] signInForm(Database database) {
        return of(database, "sign-in-form");
    }

    private static byte[] of(Database database, String name) {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        var dsl = database.dsl();
        // Two nodes starting together: the first insert wins, and both read the winner's key.
        dsl.insertInto(CONSOLE_KEY).set(CONSOLE_KEY.NAME, name).set(CONSOLE_KEY.KEY_VALUE, Base64.getEncoder().encodeToString(bytes))
                .set(CONSOLE_KEY.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC)).onConflictDoNothing().execute();
        return Base64.getDecoder().decode(dsl.select(CONSOLE_KEY.KEY_VALUE).from(CONSOLE_KEY).where(CONSOLE_KEY.NAME.eq(name))
                .fetchSingle(CONSOLE_KEY.KEY_VALUE));
    }
}
