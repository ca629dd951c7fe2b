package modprep.platform;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** The batch compiler on every core: independent units spread over a few large javac tasks at once. */
public final class ParallelCompiler implements AutoCloseable {
    /** Units per javac task: enough to amortise a task's start, few enough to keep the heap small. */
    static final int MAX_UNITS_PER_TASK = 60;

    private final BatchCompiler compiler;
    private final int threads;
    private final ExecutorService pool;

    public ParallelCompiler(BatchCompiler compiler, int threads) {
        this.compiler = compiler;
        this.threads = threads;
        var counter = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            var thread = new Thread(r, "modprep-compile-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Each module's outcome, and how long the javac task it was compiled in took. */
    public record Compiled(Map<String, ModuleOutcome> outcomes, Map<String, Long> taskMillis) {
    }

    public Compiled compile(List<CompileUnit> units) {
        var outcomes = new LinkedHashMap<String, ModuleOutcome>();
        var millis = new HashMap<String, Long>();
        if (units.isEmpty()) {
            return new Compiled(outcomes, millis);
        }
        var futures = new ArrayList<Future<Map<String, ModuleOutcome>>>();
        var elapsed = new ConcurrentHashMap<Integer, Long>();
        var chunks = chunk(units);
        for (int i = 0; i < chunks.size(); i++) {
            var chunk = chunks.get(i);
            int index = i;
            Callable<Map<String, ModuleOutcome>> task = () -> {
                long started = System.nanoTime();
                var result = compiler.compile(chunk);
                elapsed.put(index, (System.nanoTime() - started) / 1_000_000);
                return result;
            };
            // One chunk runs on the caller's thread: no hand-over for small batches.
            futures.add(chunks.size() == 1 ? CompletableFuture.completedFuture(call(task)) : pool.submit(task));
        }
        try {
            for (int i = 0; i < futures.size(); i++) {
                var result = futures.get(i).get();
                outcomes.putAll(result);
                long ms = elapsed.get(i);
                result.keySet().forEach(m -> millis.put(m, ms));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling", e);
        } catch (ExecutionException e) {
            modprep.db.OutOfMemory.endIfIn(e.getCause());
            throw new IllegalStateException("the compiler failed: " + e.getCause(), e.getCause());
        }
        return new Compiled(outcomes, millis);
    }

    private static <T> T call(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Spreads units over the threads, balanced by number of sources, at most MAX_UNITS_PER_TASK each. */
    private List<List<CompileUnit>> chunk(List<CompileUnit> units) {
        int count = Math.max(Math.min(threads, units.size()), (units.size() + MAX_UNITS_PER_TASK - 1) / MAX_UNITS_PER_TASK);
        var chunks = new ArrayList<List<CompileUnit>>();
        var weights = new long[count];
        for (int i = 0; i < count; i++) {
            chunks.add(new ArrayList<>());
        }
        var bySize = new ArrayList<>(units);
        bySize.sort(Comparator.comparingInt(ParallelCompiler::weight).reversed());
        for (var unit : bySize) {
            int lightest = 0;
            for (int i = 1; i < count; i++) {
                if (weights[i] < weights[lightest]) {
                    lightest = i;
                }
            }
            chunks.get(lightest).add(unit);
            weights[lightest] += weight(unit);
        }
        chunks.removeIf(List::isEmpty);
        return chunks;
    }

    private static int weight(CompileUnit unit) {
        return unit.modules().stream().mapToInt(m -> m.sources().size()).sum();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
