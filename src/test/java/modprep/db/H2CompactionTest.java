package modprep.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's data folder keeps a compact file: what many small commits (a run's groups, WRITE_DELAY=0)
 * leave unused in the file is rewritten by a pass, when nothing is being prepared, and nothing is lost.
 */
class H2CompactionTest {
    private static final int ROWS = 200;

    @TempDir
    Path dir;

    @Test
    void a_pass_rewrites_what_many_commits_left_unused_and_keeps_every_row() throws Exception {
        try (var database = Database.open(dir)) {
            churn(database);
            var before = state(database);
            assertTrue(before.inUsePercent() < H2Compaction.START_BELOW_PERCENT, "the commits left most of the file unused: " + before);

            int retention = retention(database);
            var pass = H2Compaction.of(database, () -> false).orElseThrow().pass().orElseThrow();

            assertEquals(before, pass.before());
            assertTrue(pass.after().inUsePercent() >= H2Compaction.ENOUGH_PERCENT, "mostly in use now: " + pass);
            assertTrue(pass.after().bytes() < before.bytes() / 2, "the file shrank: " + pass);
            assertTrue(H2Compaction.of(database, () -> false).orElseThrow().pass().isEmpty(), "nothing left to do");
            assertEquals(retention, retention(database), "H2 keeps freed chunks as long as before the pass");
            assertTrue(retention > 0, "H2's own: " + retention);
            assertEquals(ROWS, database.dsl().fetchCount(DSL.table("churn"), DSL.field("payload", String.class).like("%-last")));
        }
        try (var reopened = Database.open(dir)) {
            assertEquals(ROWS, reopened.dsl().fetchCount(DSL.table("churn"), DSL.field("payload", String.class).like("%-last")),
                    "every row, after the database closed and opened again");
        }
    }

    @Test
    void no_pass_while_a_run_is_in_progress() throws Exception {
        try (var database = Database.open(dir)) {
            churn(database);
            var before = state(database);
            long size = Files.size(dir.resolve("modprep.mv.db"));

            assertTrue(H2Compaction.of(database, () -> true).orElseThrow().pass().isEmpty());

            assertEquals(before, state(database));
            assertEquals(size, Files.size(dir.resolve("modprep.mv.db")));
        }
    }

    /**
     * A server stops while a pass rewrites the file: the pass ends after its step and the database goes on. Before,
     * the stop interrupted the pass inside H2's file I/O, which closed the file for every session.
     */
    @Test
    void stopping_during_a_pass_leaves_the_database_working() throws Exception {
        try (var database = Database.open(dir)) {
            churn(database);
            var inPass = new CountDownLatch(1);
            var asked = new AtomicInteger();
            // Asked once before a pass and once before each of its steps: the second time, a pass is under way.
            var compaction = H2Compaction.of(database, () -> {
                if (asked.incrementAndGet() == 2) {
                    inPass.countDown();
                }
                return false;
            }, Duration.ofMillis(10)).orElseThrow().start();
            assertTrue(inPass.await(30, TimeUnit.SECONDS), "a pass started");

            compaction.close();

            database.dsl().execute("UPDATE churn SET payload = CONCAT(id, '-after')");
            assertEquals(ROWS, database.dsl().fetchCount(DSL.table("churn"), DSL.field("payload", String.class).like("%-after")));
        }
        try (var reopened = Database.open(dir)) {
            assertEquals(ROWS, reopened.dsl().fetchCount(DSL.table("churn"), DSL.field("payload", String.class).like("%-after")),
                    "the write after the stop, once the database closed and opened again");
        }
    }

    @Test
    void a_process_that_does_not_hold_the_file_has_nothing_to_compact() throws Exception {
        try (var memory = Database.inMemory("compaction")) {
            assertTrue(H2Compaction.of(memory, () -> false).orElseThrow().pass().isEmpty());
        }
    }

    /** Many small transactions over the same rows, as a run's groups make: each writes a new chunk. */
    private static void churn(Database database) {
        var dsl = database.dsl();
        dsl.execute("CREATE TABLE churn(id INT PRIMARY KEY, payload VARCHAR(2000))");
        for (int i = 0; i < ROWS; i++) {
            dsl.execute("INSERT INTO churn VALUES(?, ?)", i, "x".repeat(1_000));
        }
        for (int commit = 0; commit < 2_000; commit++) {
            int first = commit % ROWS;
            dsl.execute("UPDATE churn SET payload = ? WHERE id BETWEEN ? AND ?", commit + "-" + "y".repeat(1_000), first, first + 9);
        }
        dsl.execute("UPDATE churn SET payload = CONCAT(id, '-last')");
    }

    private static int retention(Database database) throws Exception {
        try (var connection = database.dataSource().getConnection()) {
            return H2Compaction.storeOf(connection).orElseThrow().getRetentionTime();
        }
    }

    private static H2Compaction.FileState state(Database database) throws Exception {
        try (var connection = database.dataSource().getConnection()) {
            return H2Compaction.state(H2Compaction.storeOf(connection).orElseThrow());
        }
    }
}
