package modprep.preparation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import modprep.db.Database;
import modprep.environment.Compilations;
import modprep.platform.ModuleOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the jars of compiled batches and marks the batches done (P14), on a thread of its own, so that
 * the node's next claim compiles meanwhile. A batch is done only once its jars are committed.
 */
final class BatchStorer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchStorer.class);

    private final Compilations compilations;
    private final CompileBatches batches;
    private final String owner;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        var t = new Thread(r, "modprep-batches-store");
        t.setDaemon(true);
        return t;
    });

    BatchStorer(Compilations compilations, CompileBatches batches, String owner) {
        this.compilations = compilations;
        this.batches = batches;
        this.owner = owner;
    }

    /** Stores the jars (by inputs), then marks the batches done; {@code after} runs either way. */
    void store(List<CompileBatches.Batch> claimed, Map<String, Compilations.Jar> jars, Map<String, ModuleOutcome> outcomes, long millis,
               Runnable after) {
        thread.execute(() -> {
            try {
                compilations.database().transaction(tx -> {
                    compilations.store(tx, jars);
                    return null;
                });
                for (var batch : claimed) {
                    int failed = (int) batch.modules().stream().filter(m -> outcomes.containsKey(m) && !outcomes.get(m).succeeded()).count();
                    batches.finish(owner, batch, new CompileBatches.Result(owner, millis, failed));
                }
            } catch (RuntimeException e) {
                modprep.db.OutOfMemory.endIfIn(e);
                // Left compiling: claimed again once the lease runs out, and the groups compile what they do not find
                // meanwhile. An outage is told once, by the batch worker's backoff, not here as well.
                if (Database.connectionLost(e)) {
                    LOG.info("compile batches: {} not stored, the database is unavailable; claimed again after their lease", claimed.size());
                } else {
                    LOG.warn("compile batches: could not store: {}", e.toString());
                }
            } finally {
                after.run();
            }
        });
    }

    /** Finishes what it was given, waiting at most 30 s. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
