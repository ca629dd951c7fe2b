package modprep.preparation;

import static modprep.db.schema.Tables.COMPILE_BATCH;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import modprep.status.BatchStatus;
import modprep.status.RunStatus;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompileAheadTest {
    private static final int LAYERS = 6;
    private static final int WIDTH = 8;

    @TempDir
    Path dir;

    private record Batch(int seq, List<String> modules, OffsetDateTime plannedAt, OffsetDateTime finishedAt) {
    }

    @Test
    void alone_a_node_compiles_every_module_ahead_once_and_plans_consumers_before_their_producers_are_stored() {
        // Six layers of eight modules, each using two of the layer below: each layer waits on the one before.
        var env = new TestEnvironment("11.16.1");
        var producers = new HashMap<String, List<String>>();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (int i = 0; i < WIDTH; i++) {
                var uses = layer == 0 ? List.<String>of() : List.of(name(layer - 1, i), name(layer - 1, (i + 1) % WIDTH));
                producers.put(name(layer, i), uses);
                env.module(name(layer, i), uses.toArray(String[]::new));
            }
        }
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            var started = app.preparations().upgrade("11.17.0", "alice");
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                var run = TestEnvironment.awaitEnd(app, started.runId(), Duration.ofSeconds(60));
                assertEquals(RunStatus.SUCCEEDED, run.status());
                assertEquals(LAYERS * WIDTH, TestEnvironment.byStatus(run).get("prepared").size());
            }
            var batches = app.database().dsl()
                    .select(COMPILE_BATCH.SEQ, COMPILE_BATCH.MODULES, COMPILE_BATCH.PLANNED_AT, COMPILE_BATCH.FINISHED_AT, COMPILE_BATCH.STATUS)
                    .from(COMPILE_BATCH).where(COMPILE_BATCH.RUN_ID.eq(started.runId())).fetch(r -> {
                        assertEquals(BatchStatus.DONE, r.value5(), "batch " + r.value1());
                        return new Batch(r.value1(), List.of(r.value2().split("[ \n]")), r.value3(), r.value4());
                    });
            assertEquals(LAYERS * WIDTH, batches.stream().mapToInt(b -> b.modules().size()).sum(),
                    "every module compiled ahead, once: no group compiled for itself");
            var compiledAhead = app.database().dsl().select(PREPARATION_RUN.COMPILED_AHEAD_AT).from(PREPARATION_RUN)
                    .where(PREPARATION_RUN.ID.eq(started.runId())).fetchOne().value1();
            var lastBatch = batches.stream().map(Batch::finishedAt).max(java.util.Comparator.naturalOrder()).orElseThrow();
            assertTrue(compiledAhead != null && !compiledAhead.isBefore(lastBatch),
                    "the run tells when its compile-ahead ended, after its last batch (I1): " + compiledAhead + ", " + lastBatch);

            var batchOf = new HashMap<String, Batch>();
            batches.forEach(b -> b.modules().forEach(m -> batchOf.put(m, b)));
            var early = new ArrayList<String>();
            for (var batch : batches) {
                for (var module : batch.modules()) {
                    for (var producer : producers.get(module)) {
                        var made = batchOf.get(producer);
                        if (made != batch && batch.plannedAt().isBefore(made.finishedAt())) {
                            early.add(module + " (batch " + batch.seq() + ") before " + producer + " (batch " + made.seq() + ") was stored");
                        }
                    }
                }
            }
            // A node alone plans on the jars it has just compiled: it need not wait for them to be stored (P14).
            assertTrue(!early.isEmpty(), "some consumer was planned while its producer's jar was being stored: " + batches);
        }
    }

    private static String name(int layer, int i) {
        return "L" + layer + "_" + i;
    }
}
