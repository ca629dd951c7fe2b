package modprep.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Nodes starting at the same moment on one database with no users: each makes sure of the administrator,
 * and exactly one is made, by one of them, whose generated password is the one that signs in. Two
 * administrators adding one name at once: one succeeds, the other is told the name is taken.
 */
class FirstAdministratorTest {
    private static final int NODES = 4;

    @Test
    void nodes_starting_at_once_with_no_users_make_exactly_one_administrator_and_all_start() throws Exception {
        try (var app = TestEnvironment.newModprep()) {
            var results = atOnce(() -> app.accounts().ensureAdministrator(null));
            var generated = new ArrayList<String>();
            for (var result : results) {
                String password = result.get(); // none failed
                if (password != null) {
                    generated.add(password);
                }
            }
            assertEquals(1, generated.size(), "one node made the administrator and printed its password: " + generated);
            var users = app.accounts().list();
            assertEquals(1, users.size(), "exactly one user: " + users);
            assertEquals("admin", users.get(0).name());
            assertEquals(Role.ADMINISTRATOR, users.get(0).role());
            assertEquals("admin", app.accounts().signIn("admin", generated.get(0), "127.0.0.1").name(),
                    "the password printed is the administrator's");
        }
    }

    @Test
    void one_name_added_twice_at_once_is_added_once_and_the_other_is_told_it_is_taken() throws Exception {
        try (var app = TestEnvironment.newModprep()) {
            var results = atOnce(() -> app.accounts().add("dana", Role.VIEWER, "correct horse battery staple").name());
            int added = 0;
            var refusals = new ArrayList<String>();
            for (var result : results) {
                try {
                    assertEquals("dana", result.get());
                    added++;
                } catch (ExecutionException e) {
                    var refused = assertRefused(e.getCause());
                    refusals.add(refused.getMessage());
                }
            }
            assertEquals(1, added, "added once; the others: " + refusals);
            refusals.forEach(message -> assertEquals("a user named dana already exists", message));
            assertEquals(1, app.accounts().list().size());
        }
    }

    private static ModprepException assertRefused(Throwable failure) {
        assertTrue(failure instanceof ModprepException refused && refused.kind() == ModprepException.Kind.REFUSED,
                "a refusal, not a database error: " + failure);
        return (ModprepException) failure;
    }

    /** Runs the call on {@link #NODES} threads released together. */
    private static <T> List<Future<T>> atOnce(Callable<T> call) throws InterruptedException {
        var barrier = new CyclicBarrier(NODES);
        var pool = Executors.newFixedThreadPool(NODES);
        try {
            var results = new ArrayList<Future<T>>();
            for (int i = 0; i < NODES; i++) {
                results.add(pool.submit(() -> {
                    barrier.await();
                    return call.call();
                }));
            }
            for (var result : results) {
                try {
                    result.get();
                } catch (ExecutionException ignored) {
                    // told by each test
                }
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }
}
