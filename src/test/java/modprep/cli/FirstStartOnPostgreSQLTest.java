package modprep.cli;

import static modprep.db.schema.Tables.APP_USER;
import static modprep.db.schema.Tables.CONSOLE_KEY;
import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.MODULE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import modprep.Modprep;
import modprep.access.ConsoleKey;
import modprep.testing.OnPostgreSQL;
import modprep.testing.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code serve} nodes starting at the same moment on one empty PostgreSQL database: both migrate it,
 * both get through the first start (the demo environment, the administrator, the console's key) and
 * start, and the database holds one environment, one administrator and one key, which both use.
 */
@ExtendWith(OnPostgreSQL.class)
class FirstStartOnPostgreSQLTest {
    @TempDir
    Path dir;

    /** What one node's start did: what it printed, and the key it signs the sign-in form with. */
    private record Started(String out, byte[] signInKey) {
    }

    @Test
    void two_nodes_starting_at_once_on_an_empty_database_both_start_with_one_environment_and_one_administrator() throws Exception {
        var cluster = PostgresCluster.get();
        var location = cluster.location(cluster.createEmptyDatabase());
        var barrier = new CyclicBarrier(2);
        var pool = Executors.newFixedThreadPool(2);
        var starts = new ArrayList<Future<Started>>();
        try {
            for (String node : new String[] {"a", "b"}) {
                Callable<Started> start = () -> {
                    barrier.await();
                    try (var app = Modprep.open(dir.resolve(node), Optional.of(location))) {
                        var out = new StringWriter();
                        ServeCommand.firstStart(app, null, new PrintWriter(out, true));
                        return new Started(out.toString(), ConsoleKey.signInForm(app.database()));
                    }
                };
                starts.add(pool.submit(start));
            }
            var a = starts.get(0).get(); // both started: neither failed
            var b = starts.get(1).get();
            String both = "a: " + a.out() + "\nb: " + b.out();
            assertEquals(1, count(both, "imported a demo environment"), "one node imported the demo: " + both);
            assertEquals(1, count(both, "created the administrator 'admin'"), "one node made the administrator: " + both);
            assertArrayEquals(a.signInKey(), b.signInKey(), "both sign the sign-in form with one key");
        } finally {
            pool.shutdownNow();
        }
        try (var app = Modprep.open(dir.resolve("a"), Optional.of(location))) {
            var dsl = app.database().dsl();
            assertEquals(1, dsl.fetchCount(ENVIRONMENT));
            assertEquals(ServeCommand.DEMO_MODULES, dsl.fetchCount(MODULE), "the demo imported once");
            assertEquals(1, dsl.fetchCount(APP_USER), "exactly one administrator");
            assertEquals(1, dsl.fetchCount(CONSOLE_KEY));
        }
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
