package modprep.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import modprep.preparation.GroupDriver;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runs a page lists are those of the moment its banner shows (issue 9, item 3). */
class RunQueriesTest {
    @TempDir
    Path dir;

    @Test
    void the_runs_as_of_a_stamp_hold_the_latest_as_the_stamp_read_it_and_none_started_since() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Util", "Core").module("Shop", "Util");
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            TestEnvironment.setGroupSize(app, 1);
            var board = new StatusBoard(app.database());
            var queries = new RunQueries(app.database().dsl());
            long first = app.preparations().upgrade("11.17.0", "alice").runId();
            var planned = board.stamp();
            var driver = new GroupDriver(app, first);
            assertTrue(driver.prepare(1, GroupDriver.StopAfter.NOTHING));

            assertEquals(List.of(planned.latestRun()), queries.all(planned), "the run as the stamp read it, a group before its row now");
            assertEquals(0, queries.all(planned).get(0).counts().prepared());
            assertEquals(1, queries.run(first, false).counts().prepared());
            assertFalse(queries.ended(first), "a running run's JSON is read afresh");

            driver.prepare(2, GroupDriver.StopAfter.NOTHING);
            driver.prepare(3, GroupDriver.StopAfter.NOTHING);
            driver.finish();
            var ended = board.stamp();
            assertTrue(queries.ended(first), "ended, read narrowly");
            assertTrue(queries.run(first, false).ended(), "ended, as the view says");
            var unknown = assertThrows(modprep.ModprepException.class, () -> queries.ended(first + 99));
            assertEquals("no preparation run #" + (first + 99), unknown.getMessage());
            app.preparations().upgrade("11.18.0", "alice");
            assertEquals(List.of(first), queries.all(ended).stream().map(RunView::id).toList(), "the run started since is not listed");
            assertEquals(2, queries.all(board.stamp()).size());
        }
    }
}
