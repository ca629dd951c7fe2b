package modprep.preparation;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import modprep.db.BackgroundLoop;
import modprep.db.Backoff;
import modprep.db.Beats;
import modprep.environment.BuildInputs;
import modprep.environment.Compilations;
import modprep.environment.Currentness;
import modprep.environment.EnvironmentSnapshot;
import modprep.platform.CompileUnit;
import modprep.platform.Jit;
import modprep.platform.JavaSourceCompiler;
import modprep.platform.ModuleOutcome;
import modprep.platform.PlatformVersion;
import modprep.settings.InstallationSettings;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compile batches' worker of one node (P14): every node runs one, the run's owner included. It
 * claims waiting batches, compiles them from the inputs the rule gives ({@link Currentness#inputs}: the
 * producers' jars of earlier batches are in the cache by then), stores the jars in the compilation cache
 * and marks the batches done, renewing their lease on each heartbeat meanwhile. Nothing depends on it
 * for correctness: a group compiles whatever it does not find in the cache.
 */
final class BatchWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWorker.class);
    private static final long POLL_MILLIS = 100;

    private final Compilations compilations;
    private final CompileBatches batches;
    private final InstallationSettings settings;
    private final String owner;
    /** Batches claimed at once: two per compile thread, so that a node's javac tasks stay large. */
    private final int claimAtOnce;
    private final BackgroundLoop loop;
    private final Backoff backoff = new Backoff(LOG, "the compile batches");
    private final Beats heartbeat;
    private final Object finished = new Object();
    private final List<CompileBatches.Batch> held = new CopyOnWriteArrayList<>();
    /** What did not compile here, by inputs: the run's owner in this process need not compile it again. */
    private final Map<String, ModuleOutcome> failures = new ConcurrentHashMap<>();
    private volatile Duration lease;
    private volatile Duration beat;
    /** The run whose environment is loaded, and each module's compilation as its batches find it. */
    private volatile BatchRun context;
    /** Stores a compiled claim's jars and marks it done while the next claim compiles (javac never waits on the database). */
    private final BatchStorer storer;

    BatchWorker(Compilations compilations, Clock clock, String owner, int threads) {
        this.compilations = compilations;
        this.batches = new CompileBatches(compilations.database());
        this.settings = new InstallationSettings(compilations.database(), clock);
        this.owner = owner;
        this.storer = new BatchStorer(compilations, batches, owner);
        this.claimAtOnce = Math.max(1, 2 * threads);
        this.loop = new BackgroundLoop("modprep-batches", true, this::work);
        this.heartbeat = new Beats("modprep-batches-heartbeat", () -> beat, () -> !loop.stopping(), this::beat);
    }

    BatchWorker start() {
        readTimings();
        loop.start();
        heartbeat.start();
        return this;
    }

    /** Batches were just planned in this process: look at once instead of at the next poll. */
    void wake() {
        loop.wake();
    }

    /**
     * Waits until this node compiles or finishes a batch, or for at most this long (batches done by other
     * nodes are read from the table).
     */
    void awaitBatchDone(long millis) {
        synchronized (finished) {
            try {
                finished.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The run's owner in this process shares what it knows (its snapshot, and each module's compilation as
     * it learns them): this node's batches of that run need not load or look them up again.
     */
    void share(long runId, PlatformVersion version, EnvironmentSnapshot snapshot, Map<String, BuildInputs.ProducerBuild> builds) {
        context = new BatchRun(runId, version, snapshot, builds);
    }

    /** How many nodes compile batches now (this one included). */
    int liveNodes() {
        return batches.liveNodes(lease);
    }

    /** The outcome of inputs that did not compile in this process's batches. */
    ModuleOutcome failure(String inputs) {
        return failures.get(inputs);
    }

    private void readTimings() {
        var values = settings.values();
        lease = values.leaseTimeout();
        beat = values.heartbeatInterval();
    }

    /**
     * The loop's body: claims batches and compiles them, again and again, until stopped. A batch left
     * unfinished by a failure is claimed again once its lease runs out; the groups never wait on it for good.
     */
    private void work() {
        while (!loop.stopping()) {
            try {
                var claimed = batches.claim(owner, lease, claimAtOnce);
                backoff.succeeded();
                if (claimed.isEmpty()) {
                    loop.pause(POLL_MILLIS);
                    continue;
                }
                held.addAll(claimed);
                try {
                    compileAll(claimed);
                } catch (RuntimeException e) {
                    held.removeAll(claimed);
                    throw e;
                }
            } catch (DataAccessException e) {
                if (!loop.stopping()) { // the database unavailable: told once, as the worker does
                    loop.pause(backoff.failed(e));
                }
            } catch (RuntimeException e) {
                modprep.db.OutOfMemory.endIfIn(e);
                if (!loop.stopping()) {
                    LOG.warn("compile batches: {}", e.toString());
                    loop.pause(POLL_MILLIS);
                }
            }
        }
    }

    /** Compiles claimed batches (of one run, or more) together: one call, so javac's tasks stay large. */
    private void compileAll(List<CompileBatches.Batch> claimed) {
        var byRun = new LinkedHashMap<Long, List<CompileBatches.Batch>>();
        claimed.forEach(b -> byRun.computeIfAbsent(b.runId(), r -> new ArrayList<>()).add(b));
        byRun.forEach((runId, ofRun) -> {
            try (var fields = modprep.logging.LogFields.put(modprep.logging.LogFields.RUN, runId); var jit = Jit.compiling()) {
                compile(contextOf(runId), ofRun);
            }
        });
    }

    private BatchRun contextOf(long runId) {
        var known = context;
        return known != null && known.runId() == runId ? known : (context = BatchRun.load(compilations.database().dsl(), runId));
    }

    private void compile(BatchRun run, List<CompileBatches.Batch> claimed) {
        long started = System.nanoTime();
        var snapshot = run.snapshot();
        var graph = snapshot.publishedGraph();
        var dsl = compilations.database().dsl();
        var inputs = new HashMap<String, String>();
        var units = run.compilable(compilations, claimed, inputs);
        var cached = compilations.cachedJars(dsl, inputs.values());
        var misses = units.stream().filter(u -> !u.stream().allMatch(m -> cached.containsKey(inputs.get(m)))).toList();
        var sources = compilations.sources(dsl, misses.stream().flatMap(List::stream)
                .map(m -> snapshot.module(m).publishedSourcesSha256()).distinct().toList());
        var compiled = compilations.compile(run.version(), misses.stream().map(unit -> new CompileUnit(
                unit.stream().map(m -> new JavaSourceCompiler.ModuleSources(m, sources.get(snapshot.module(m).publishedSourcesSha256()))).toList(),
                compilations.classPath(run.version(), graph.externalProducers(unit), graph, unit, p -> run.builds().get(p).jarSha256()))).toList());
        var jars = new HashMap<String, Compilations.Jar>();
        var jarOf = new HashMap<String, String>(cached);
        compiled.outcomes().forEach((m, outcome) -> {
            if (outcome.succeeded()) {
                var jar = compilations.unstoredJar(outcome.classes());
                jars.put(inputs.get(m), jar);
                jarOf.put(inputs.get(m), jar.sha256());
            } else {
                failures.put(inputs.get(m), outcome);
            }
        });
        // Known at once, before they are stored: the run's owner on this node plans their consumers now (P14).
        units.stream().filter(unit -> unit.stream().allMatch(m -> jarOf.containsKey(inputs.get(m))))
                .forEach(unit -> unit.forEach(m -> run.builds().put(m, new BuildInputs.ProducerBuild(m, jarOf.get(inputs.get(m)), inputs.get(m)))));
        signalFinished();
        long millis = (System.nanoTime() - started) / 1_000_000;
        storer.store(claimed, jars, compiled.outcomes(), millis, () -> {
            compilations.stored(jars.values());
            held.removeAll(claimed);
            signalFinished();
        });
        LOG.debug("compiled {} batch(es), {} modules ({} found in the cache) in {} ms", claimed.size(), inputs.size(),
                inputs.size() - compiled.outcomes().size(), millis);
    }

    private void signalFinished() {
        synchronized (finished) {
            finished.notifyAll();
        }
    }

    /** Every heartbeat-interval as it is then, until the loop stops: renews the lease on the batches held. */
    private void beat() {
        try {
            readTimings();
            if (!held.isEmpty()) {
                batches.renew(owner, lease, held);
            }
        } catch (RuntimeException e) {
            modprep.db.OutOfMemory.endIfIn(e);
            LOG.debug("batch heartbeat failed: {}", e.getMessage());
        }
    }

    /** Stops after the batches in progress, and gives back any it could not finish. */
    @Override
    public void close() {
        loop.close(30_000);
        storer.close();
        heartbeat.close();
        try {
            batches.release(owner, held);
        } catch (RuntimeException e) {
            LOG.debug("could not give the batches back: {}", e.getMessage());
        }
    }
}
