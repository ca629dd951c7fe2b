package modprep.access;

import static modprep.db.schema.Tables.APP_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Issue 14, Info: Argon2id at OWASP's minimum at least (19 MiB, 2 passes, 1 lane); older hashes replaced at the next sign-in. */
class PasswordHashTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String OWASP_MINIMUM = "$argon2id$v=19$m=19456,t=2,p=1$";

    private static String storedHash(modprep.Modprep app, String name) {
        return app.database().dsl().select(APP_USER.PASSWORD_HASH).from(APP_USER).where(APP_USER.NAME.eq(name)).fetchSingle().value1();
    }

    @Test
    void a_new_password_is_hashed_with_19_mib_2_passes_and_1_lane_Info() {
        try (var app = TestEnvironment.newModprep()) {
            app.accounts().add("admin", Role.ADMINISTRATOR, PASSWORD);
            assertTrue(storedHash(app, "admin").startsWith(OWASP_MINIMUM), storedHash(app, "admin"));
            app.accounts().changePassword("admin", "another long password");
            assertTrue(storedHash(app, "admin").startsWith(OWASP_MINIMUM), storedHash(app, "admin"));
        }
    }

    @Test
    void a_hash_made_with_the_old_parameters_is_replaced_at_the_next_successful_sign_in_Info() {
        try (var app = TestEnvironment.newModprep()) {
            app.accounts().add("admin", Role.ADMINISTRATOR, PASSWORD);
            // As modprep before issue 14 stored it: Spring Security 5.8's defaults, 16 MiB.
            String old = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode(PASSWORD);
            assertTrue(old.startsWith("$argon2id$v=19$m=16384,t=2,p=1$"), old);
            app.database().dsl().update(APP_USER).set(APP_USER.PASSWORD_HASH, old).where(APP_USER.NAME.eq("admin")).execute();

            assertThrows(UserAccounts.SignInRefused.class, () -> app.accounts().signIn("admin", "not the password", "10.0.0.1"));
            assertEquals(old, storedHash(app, "admin"), "a wrong password changes nothing");

            assertEquals("admin", app.accounts().signIn("admin", PASSWORD, "10.0.0.1").name(), "the old hash still signs in");
            String renewed = storedHash(app, "admin");
            assertNotEquals(old, renewed);
            assertTrue(renewed.startsWith(OWASP_MINIMUM), "re-hashed with the new parameters: " + renewed);
            assertEquals("admin", app.accounts().signIn("admin", PASSWORD, "10.0.0.1").name(), "and the new hash signs in");
            assertEquals(renewed, storedHash(app, "admin"), "a hash already at the new parameters is kept");
        }
    }
}
