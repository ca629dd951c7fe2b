package modprep.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import modprep.Modprep;
import modprep.db.Database;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, M1 and L2: the sign-in throttle counts an attempt before the password is checked, so that
 * parallel guesses cannot slip past it; it holds an address back, not an account.
 */
class SignInThrottleTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String WRONG = "wrong password, surely";

    /** A modprep whose clock stands still: a throttle's wait never runs out during a test, however slow the machine. */
    private static Modprep stillClock() {
        var app = new Modprep(Database.inMemory("test-" + UUID.randomUUID()),
                Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC), 1);
        app.accounts().add("viewer", Role.VIEWER, PASSWORD);
        app.accounts().add("admin", Role.ADMINISTRATOR, PASSWORD);
        return app;
    }

    /** Runs the attempts all at once, each on its own thread; returns how each was refused (its message), counted. */
    private static Map<String, Integer> inParallel(List<Runnable> attempts) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(attempts.size());
        try {
            var start = new CountDownLatch(1);
            var results = new ArrayList<Future<String>>();
            for (Runnable attempt : attempts) {
                results.add(threads.submit(() -> {
                    start.await();
                    try {
                        attempt.run();
                        return "signed in";
                    } catch (UserAccounts.SignInRefused e) {
                        return e.getMessage().replaceAll("\\d+ s\\.", "N s.");
                    }
                }));
            }
            start.countDown();
            var counts = new TreeMap<String, Integer>();
            for (var result : results) {
                counts.merge(result.get(), 1, Integer::sum);
            }
            return counts;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void forty_parallel_wrong_passwords_from_one_address_reach_the_password_check_at_most_five_times_M1() throws Exception {
        try (var app = stillClock()) {
            var accounts = app.accounts();
            var attempts = new ArrayList<Runnable>();
            for (int i = 0; i < 40; i++) {
                attempts.add(() -> accounts.signIn("viewer", WRONG, "10.0.0.1"));
            }
            var outcomes = inParallel(attempts);
            // Only an attempt whose password was checked is told the password was wrong: the others were held back before.
            int checked = outcomes.getOrDefault("Unknown user or wrong password.", 0);
            assertTrue(checked <= UserAccounts.FREE_FAILURES, "at most " + UserAccounts.FREE_FAILURES + " reached the check: " + outcomes);
            assertEquals(40, outcomes.values().stream().mapToInt(Integer::intValue).sum(), outcomes.toString());
            assertEquals(0, outcomes.getOrDefault("signed in", 0), outcomes.toString());
        }
    }

    @Test
    void while_every_password_check_is_taken_a_sign_in_is_refused_as_busy_at_once_and_that_is_not_counted_as_a_failure_M1() {
        try (var app = stillClock()) {
            var during = new ArrayList<String>();
            var accounts = new UserAccounts[1];
            // One check at a time; while the first is under way, another sign-in comes in.
            var checks = new PasswordChecks(1, java.time.Duration.ZERO, (password, hash) -> {
                if (during.isEmpty()) {
                    during.add("first");
                    try {
                        accounts[0].signIn("admin", PASSWORD, "10.0.0.2");
                        during.add("signed in");
                    } catch (UserAccounts.SignInRefused e) {
                        during.add((e.busy() ? "busy: " : "") + e.getMessage());
                    }
                }
                return Passwords.matches(password, hash);
            });
            accounts[0] = new UserAccounts(app.database(), app.clock(), checks);
            accounts[0].signIn("viewer", PASSWORD, "10.0.0.1");
            assertEquals(List.of("first", "busy: The server is busy checking other sign-ins: try again in a moment."), during);

            // The busy refusal did not take one of 10.0.0.2's free attempts: five wrong passwords are still checked.
            for (int i = 0; i < UserAccounts.FREE_FAILURES; i++) {
                var refused = org.junit.jupiter.api.Assertions.assertThrows(UserAccounts.SignInRefused.class,
                        () -> accounts[0].signIn("nobody", WRONG, "10.0.0.2"));
                assertEquals("Unknown user or wrong password.", refused.getMessage(), "attempt " + (i + 1));
            }
            assertEquals("admin", accounts[0].signIn("admin", PASSWORD, "10.0.0.3").name(), "and checks are free again");
        }
    }

    /** Wrong passwords until one is held back; returns that refusal's message. */
    private static String failUntilHeldBack(UserAccounts accounts, java.util.function.IntFunction<String> name, String address) {
        for (int i = 0; i < 100; i++) {
            try {
                accounts.signIn(name.apply(i), WRONG, address);
                throw new AssertionError("a wrong password signed in");
            } catch (UserAccounts.SignInRefused e) {
                if (!e.getMessage().equals("Unknown user or wrong password.")) {
                    return i + " failures, then: " + e.getMessage();
                }
            }
        }
        throw new AssertionError("never held back");
    }

    @Test
    void guesses_from_one_address_never_hold_back_the_right_password_from_another_address_L2() {
        try (var app = stillClock()) {
            var accounts = app.accounts();
            String heldBack = failUntilHeldBack(accounts, i -> "viewer", "10.0.0.1");
            assertTrue(heldBack.startsWith("5 failures, then: Too many failed sign-ins for this account from this address"), heldBack);
            var refused = org.junit.jupiter.api.Assertions.assertThrows(UserAccounts.SignInRefused.class,
                    () -> accounts.signIn("viewer", PASSWORD, "10.0.0.1"));
            assertTrue(refused.getMessage().startsWith("Too many failed sign-ins"), "the guessing address waits even with the password");

            assertEquals("viewer", accounts.signIn("viewer", PASSWORD, "10.0.0.2").name(), "the owner, elsewhere, signs in");
            for (int i = 0; i < 2; i++) {
                // From many addresses, a few guesses each: the owner is never locked out either.
                for (int address = 10; address < 30; address++) {
                    int a = address;
                    org.junit.jupiter.api.Assertions.assertThrows(UserAccounts.SignInRefused.class,
                            () -> accounts.signIn("viewer", WRONG, "10.0.1." + a));
                }
            }
            assertEquals("viewer", accounts.signIn("viewer", PASSWORD, "10.0.0.3").name(), "after 40 guesses from 20 addresses");

            // One address guessing many names is held back, for every name.
            heldBack = failUntilHeldBack(accounts, i -> "ghost" + i, "10.0.0.9");
            assertTrue(heldBack.startsWith(UserAccounts.ADDRESS_FREE_FAILURES + " failures, then: Too many failed sign-ins from this address"),
                    heldBack);
            refused = org.junit.jupiter.api.Assertions.assertThrows(UserAccounts.SignInRefused.class,
                    () -> accounts.signIn("admin", PASSWORD, "10.0.0.9"));
            assertTrue(refused.getMessage().startsWith("Too many failed sign-ins from this address"), refused.getMessage());
        }
    }
}
