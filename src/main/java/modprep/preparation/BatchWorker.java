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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import modprep.environment.BuildInputs;
import modprep.environment.Compilations;
import modprep.environment.Currentness;
import modprep.environment.EnvironmentSnapshot;
import modprep.platform.CompileUnit;
import modprep.platform.JavaSourceCompiler;
import modprep.platform.ModuleOutcome;
import modprep.platform.PlatformVersion;
import modprep.settings.InstallationSettings;
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
    private final Thread thread;
    private final ScheduledExecutorService heartbeat;
    private final Object signal = new Object();
    private final Object finished = new Object();
    private final List<CompileBatches.Batch> held = new CopyOnWriteArrayList<>();
    /** What did not compile here, by inputs: the run's owner in this process need not compile it again. */
    private final Map<String, ModuleOutcome> failures = new ConcurrentHashMap<>();
    private volatile Duration lease;
    private volatile Duration beat;
    private volatile boolean stopping;
    /** The run whose environment is loaded, and each module's compilation as its batches find it. */
    private volatile RunContext context;
    /** Stores a compiled claim's jars and marks it done while the next claim compiles (javac never waits on the database). */
    private final java.util.concurrent.ExecutorService storer = Executors.newSingleThreadExecutor(r -> {
        var t = new Thread(r, "modprep-batches-store");
        t.setDaemon(true);
        return t;
    });

    private record RunContext(long runId, PlatformVersion version, EnvironmentSnapshot snapshot,
                              Map<String, BuildInputs.ProducerBuild> builds) {
    }

    BatchWorker(Compilations compilations, Clock clock, String owner, int threads) {
        this.compilations = compilations;
        this.batches = new CompileBatches(compilations.database());
        this.settings = new InstallationSettings(compilations.database(), clock);
        this.owner = owner;
        this.claimAtOnce = Math.max(1, 2 * threads);
        this.thread = new Thread(this::loop, "modprep-batches");
        this.thread.setDaemon(true);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "modprep-batches-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    BatchWorker start() {
        readTimings();
        thread.start();
        scheduleBeat();
        return this;
    }

    /** Batches were just planned in this process: look at once instead of at the next poll. */
    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Waits until this node finishes a batch, or for at most this long (batches done by other nodes are read from the table). */
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
        context = new RunContext(runId, version, snapshot, builds);
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

    private void loop() {
        while (!stopping) {
            try {
                var claimed = batches.claim(owner, lease, claimAtOnce);
                if (claimed.isEmpty()) {
                    pause();
                    continue;
                }
                held.addAll(claimed);
                try {
                    compileAll(claimed);
                } catch (RuntimeException e) {
                    held.removeAll(claimed);
                    throw e;
                }
            } catch (RuntimeException e) {
                // A batch left unfinished is claimed again once its lease runs out; the groups never wait on it for good.
                if (!stopping) {
                    LOG.warn("compile batches: {}", e.toString());
                    pause();
                }
            }
        }
    }

    /** Compiles claimed batches (of one run, or more) together: one call, so javac's tasks stay large. */
    private void compileAll(List<CompileBatches.Batch> claimed) {
        var byRun = new LinkedHashMap<Long, List<CompileBatches.Batch>>();
        claimed.forEach(b -> byRun.computeIfAbsent(b.runId(), r -> new ArrayList<>()).add(b));
        byRun.forEach((runId, ofRun) -> {
            try (var fields = modprep.logging.LogFields.put(modprep.logging.LogFields.RUN, runId)) {
                compile(contextOf(runId), ofRun);
            }
        });
    }

    private RunContext contextOf(long runId) {
        if (context == null || context.runId() != runId) {
            var dsl = compilations.database().dsl();
            var to = new RunRepository(dsl).run(runId).to();
            var snapshot = EnvironmentSnapshot.load(dsl, to);
            var builds = new ConcurrentHashMap<String, BuildInputs.ProducerBuild>();
            snapshot.publishedGraph().modules().stream().filter(snapshot::isCurrent)
                    .forEach(m -> builds.put(m, snapshot.build(m).asProducer(m)));
            context = new RunContext(runId, to, snapshot, builds);
        }
        return context;
    }

    private void compile(RunContext run, List<CompileBatches.Batch> claimed) {
        long started = System.nanoTime();
        var snapshot = run.snapshot();
        var graph = snapshot.publishedGraph();
        var dsl = compilations.database().dsl();
        var inputs = new HashMap<String, String>();
        var units = new ArrayList<List<String>>();
        for (var batch : claimed) {
            for (var unit : batch.units()) {
                if (!unit.stream().allMatch(graph::contains)) {
                    continue; // deleted or unpublished since: its group will say so
                }
                var in = inputsOf(run, unit);
                if (in != null) {
                    inputs.putAll(in);
                    units.add(unit);
                }
            }
        }
        var cached = compilations.cachedJars(dsl, inputs.values());
        var misses = units.stream().filter(u -> !u.stream().allMatch(m -> cached.containsKey(inputs.get(m)))).toList();
        var sources = compilations.sources(dsl, misses.stream().flatMap(List::stream)
                .map(m -> snapshot.module(m).publishedSourcesSha256()).distinct().toList());
        var compiled = compilations.compile(run.version(), misses.stream().map(unit -> new CompileUnit(
                unit.stream().map(m -> new JavaSourceCompiler.ModuleSources(m, sources.get(snapshot.module(m).publishedSourcesSha256()))).toList(),
                compilations.classPath(run.version(), graph.externalProducers(unit), graph, unit, p -> run.builds().get(p).jarSha256()))).toList());
        var jars = new HashMap<String, Compilations.Jar>();
        compiled.outcomes().forEach((m, outcome) -> {
            if (outcome.succeeded()) {
                jars.put(inputs.get(m), compilations.jar(outcome.classes()));
            } else {
                failures.put(inputs.get(m), outcome);
            }
        });
        long millis = (System.nanoTime() - started) / 1_000_000;
        storer.execute(() -> store(claimed, jars, compiled.outcomes(), millis));
        LOG.debug("compiled {} batch(es), {} modules ({} found in the cache) in {} ms", claimed.size(), inputs.size(),
                inputs.size() - compiled.outcomes().size(), millis);
    }

    /** Stores the jars, then marks the batches done: a batch is done only once its jars are committed. */
    private void store(List<CompileBatches.Batch> claimed, Map<String, Compilations.Jar> jars, Map<String, ModuleOutcome> outcomes,
                       long millis) {
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
            // Left compiling: claimed again once the lease runs out, and the groups compile what they do not find meanwhile.
            LOG.warn("compile batches: could not store: {}", e.toString());
        } finally {
            held.removeAll(claimed);
            synchronized (finished) {
                finished.notifyAll();
            }
        }
    }

    /**
     * The inputs of a unit as its group will expect them; null when a producer has no compilation (it
     * failed, or its batch is not done: then its own batch, or the group, compiles it).
     */
    private Map<String, String> inputsOf(RunContext run, List<String> unit) {
        var snapshot = run.snapshot();
        var graph = snapshot.publishedGraph();
        var producers = graph.externalProducers(unit);
        // Producers compiled by earlier batches, here or on other nodes: found in the cache by their own inputs.
        producers.forEach(p -> resolve(run, p));
        // Null when one has none; when every direct producer has one, so has every transitive one (resolved first).
        return Currentness.inputs(run.version(), unit, m -> snapshot.module(m).publishedSourcesSha256(), producers, run.builds()::get);
    }

    /** Finds a producer's compilation in the cache, its own producers first. */
    private void resolve(RunContext run, String module) {
        if (run.builds().containsKey(module)) {
            return;
        }
        var graph = run.snapshot().publishedGraph();
        var unit = graph.unitOf(module);
        var producers = graph.externalProducers(unit);
        producers.forEach(p -> resolve(run, p));
        var in = Currentness.inputs(run.version(), unit, m -> run.snapshot().module(m).publishedSourcesSha256(), producers,
                run.builds()::get);
        if (in == null) {
            return; // a producer has no compilation: neither has this one
        }
        var jars = compilations.cachedJars(compilations.database().dsl(), in.values());
        if (unit.stream().allMatch(m -> jars.containsKey(in.get(m)))) {
            unit.forEach(m -> run.builds().put(m, new BuildInputs.ProducerBuild(m, jars.get(in.get(m)), in.get(m))));
        }
    }

    private void scheduleBeat() {
        try {
            heartbeat.schedule(this::beat, beat.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closing: no more beats
        }
    }

    private void beat() {
        try {
            readTimings();
            if (!held.isEmpty()) {
                batches.renew(owner, lease, held);
            }
        } catch (RuntimeException e) {
            LOG.debug("batch heartbeat failed: {}", e.getMessage());
        } finally {
            if (!stopping) {
                scheduleBeat();
            }
        }
    }

    private void pause() {
        synchronized (signal) {
            try {
                signal.wait(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    /** Stops after the batches in progress, and gives back any it could not finish. */
    @Override
    public void close() {
        stopping = true;
        wake();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        storer.shutdown();
        try {
            storer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeat.shutdownNow();
        try {
            batches.release(owner, held);
        } catch (RuntimeException e) {
            LOG.debug("could not give the batches back: {}", e.getMessage());
        }
    }
}
