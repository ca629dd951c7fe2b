package modprep.preparation;

import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_MODULE;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import modprep.environment.BuildInputs;
import modprep.environment.Currentness;
import modprep.environment.Compilations;
import modprep.environment.EnvironmentSnapshot;
import modprep.platform.ModuleOutcome;
import modprep.status.ModuleStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a run's modules ahead of their groups into the compilation cache (by inputs), spread over
 * every node (P14): the run's owner plans, and writes as compile batches every unit whose producers are
 * compiled; each node's {@link BatchWorker} claims batches, compiles them in large javac tasks and marks
 * them done; the owner then learns the new jars from the cache (alone, from its own node at once, before
 * they are stored) and plans the units they made ready. A group finds its compilations there, provided
 * nothing changed since (same sources, same producers' compilations: the same inputs); if anything did,
 * or a batch is not done, the group compiles for itself. Groups, locks and steps are unchanged: only the
 * javac work moves earlier, into bigger tasks and onto other nodes.
 */
final class CompileAhead implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompileAhead.class);
    /** Units per batch: a node claims two per compile thread, so that one javac task holds up to ParallelCompiler's 60. */
    static final int BATCH = 30;
    /** The fewest units per batch when a round is split over several nodes: below it, a javac task's fixed cost dominates. */
    private static final int MIN_BATCH = 5;
    /** How often the owner looks for batches done by other nodes (its own node tells it at once). */
    private static final long POLL_MILLIS = 50;

    private final Compilations compilations;
    private final RunRepository.Run run;
    private final BatchWorker local;
    private final CompileBatches batches;
    private final Thread thread;
    /** Inputs compiled ahead, with how long the javac work of their batch took; and inputs whose batch is done without a jar. */
    private final Map<String, Long> compiledMillis = new ConcurrentHashMap<>();
    private final java.util.Set<String> settled = ConcurrentHashMap.newKeySet();
    /** Each module's compilation as the groups will find it: current ones, then those compiled ahead (shared with the local node's batches). */
    private final Map<String, BuildInputs.ProducerBuild> builds = new ConcurrentHashMap<>();
    /** The modules whose compilation is committed: builds also has those this node compiled and has not stored yet. */
    private final java.util.Set<String> stored = ConcurrentHashMap.newKeySet();
    private volatile boolean done;
    /** How many times the run had been prioritised when {@code remaining} was last put in the run's order. */
    private int orderedAt = -1;
    /** The producer each unit left waited on when last asked (by identity: the compile-ahead's own lists). */
    private final Map<List<String>, String> waitingOn = new java.util.IdentityHashMap<>();
    private volatile boolean stopped;

    private CompileAhead(Compilations compilations, RunRepository.Run run, BatchWorker local) {
        this.compilations = compilations;
        this.run = run;
        this.local = local;
        this.batches = new CompileBatches(compilations.database());
        this.thread = new Thread(this::compileAll, "modprep-ahead");
        this.thread.setDaemon(true);
    }

    static CompileAhead start(Compilations compilations, RunRepository.Run run, BatchWorker local) {
        var ahead = new CompileAhead(compilations, run, local);
        ahead.thread.start();
        return ahead;
    }

    /** Waits until every one of these inputs is compiled (or its batch done), or there is nothing more to wait for. */
    void await(Collection<String> inputs, BooleanSupplier stopping) {
        synchronized (this) {
            while (!done && !stopping.getAsBoolean()
                    && !inputs.stream().allMatch(i -> compiledMillis.containsKey(i) || settled.contains(i))) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** How long the javac work that compiled these inputs took, if they were compiled ahead. */
    Long millis(String inputs) {
        return compiledMillis.get(inputs);
    }

    /** The outcome of inputs that did not compile in this node's batches, so that the group need not compile them again. */
    ModuleOutcome failure(String inputs) {
        return local.failure(inputs);
    }

    /** A batch written and not yet done: its units, and the inputs each module of them was planned with. */
    private record Planned(int seq, List<List<String>> units, Map<String, String> inputs) {
    }

    private void compileAll() {
        long started = System.nanoTime();
        int rounds = 0;
        int planned = 0;
        try (var fields = modprep.logging.LogFields.put(modprep.logging.LogFields.RUN, run.id())) {
            var dsl = compilations.database().dsl();
            var snapshot = EnvironmentSnapshot.load(dsl, run.to());
            var graph = snapshot.publishedGraph();
            var toPlan = new LinkedHashSet<>(dsl.select(RUN_MODULE.MODULE_NAME).from(RUN_MODULE)
                    .where(RUN_MODULE.RUN_ID.eq(run.id()), RUN_MODULE.STATUS.in(ModuleStatus.PENDING, ModuleStatus.PREPARING))
                    .orderBy(RUN_MODULE.GROUP_SEQ, RUN_MODULE.POSITION).fetch(RUN_MODULE.MODULE_NAME));
            var remaining = new ArrayList<List<String>>();
            var seen = new java.util.HashSet<String>();
            for (String m : toPlan) {
                if (seen.add(m) && graph.contains(m)) {
                    var unit = graph.unitOf(m).stream().filter(toPlan::contains).toList();
                    seen.addAll(unit);
                    remaining.add(unit);
                }
            }
            // Batches an earlier owner of the run wrote and nobody took: planned again below, from what is cached now.
            batches.dropWaiting(run.id());
            graph.modules().stream().filter(snapshot::isCurrent).forEach(m -> builds.put(m, snapshot.build(m).asProducer(m)));
            stored.addAll(builds.keySet());
            local.share(run.id(), run.to(), snapshot, builds);
            var outstanding = new ArrayList<Planned>();
            while ((!remaining.isEmpty() || !outstanding.isEmpty()) && !stopped) {
                int known = builds.size();
                // Alone, this node plans on what it compiled before storing it; other nodes read producers from the cache.
                var ready = ready(dsl, graph, remaining, local.liveNodes() == 1 ? builds::containsKey : stored::contains);
                if (!ready.isEmpty()) {
                    var taken = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<List<String>, Boolean>());
                    taken.addAll(ready);
                    remaining.removeIf(taken::contains); // by identity: comparing units name by name was quadratic
                    var written = plan(snapshot, ready, rounds);
                    outstanding.addAll(written);
                    planned += written.size();
                    rounds++;
                    continue; // whatever the cache held may have made more units ready
                }
                if (outstanding.isEmpty()) {
                    break; // what is left waits on modules that did not compile: their groups will say so
                }
                awaitSomeDone(outstanding, known);
            }
            if (!stopped) { // I1: nothing is left to compile; the estimate's groups from here on wait for nothing
                dsl.update(PREPARATION_RUN).set(PREPARATION_RUN.COMPILED_AHEAD_AT, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC))
                        .where(PREPARATION_RUN.ID.eq(run.id())).execute();
            }
        } catch (RuntimeException e) {
            modprep.db.OutOfMemory.endIfIn(e);
            // Only a head start is lost: every group still compiles what it does not find.
            LOG.warn("compiling ahead stopped: {}", e.toString());
        } finally {
            LOG.info("compiled ahead for run #{}: {} modules in {} batches over {} rounds, {} ms", run.id(),
                    compiledMillis.size() + settled.size(), planned, rounds, (System.nanoTime() - started) / 1_000_000);
            done = true;
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** The units whose producers are all compiled, in the run's order as it is now (prioritising, I4, may have changed it). */
    private List<List<String>> ready(org.jooq.DSLContext dsl, modprep.environment.ModuleGraph graph, List<List<String>> remaining,
                                     java.util.function.Predicate<String> compiled) {
        var runs = new RunRepository(dsl);
        // Only prioritising changes the order: read again (every module's place) when it did, not at every round.
        int priorities = runs.priorities(run.id());
        if (priorities != orderedAt) {
            var order = runs.order(run.id());
            remaining.sort(java.util.Comparator.comparingInt(u -> order.getOrDefault(u.get(0), Integer.MAX_VALUE)));
            orderedAt = priorities;
        }
        return remaining.stream().filter(unit -> unitReady(graph, unit, compiled)).toList();
    }

    /**
     * Whether every producer outside the unit is compiled. Asked of every unit left at every round: a unit
     * remembers the producer it waited on last, and is looked through again only once that one is compiled
     * (compiled modules stay compiled).
     */
    private boolean unitReady(modprep.environment.ModuleGraph graph, List<String> unit, java.util.function.Predicate<String> compiled) {
        String last = waitingOn.get(unit);
        if (last != null && !compiled.test(last)) {
            return false;
        }
        String missing = graph.externalProducerNot(unit, compiled);
        if (missing != null) {
            waitingOn.put(unit, missing);
            return false;
        }
        waitingOn.remove(unit);
        return true;
    }

    /**
     * Takes what the cache already holds, and writes the rest as batches, in order; returns the batches
     * written (none when the cache held everything).
     */
    private List<Planned> plan(EnvironmentSnapshot snapshot, List<List<String>> ready, int round) {
        var graph = snapshot.publishedGraph();
        var inputs = new HashMap<String, String>();
        for (var unit : ready) {
            // The inputs its group will expect, once the producers compiled ahead are saved: the same rule.
            inputs.putAll(Currentness.inputs(run.to(), unit, m -> snapshot.module(m).publishedSourcesSha256(),
                    graph.externalProducers(unit), builds::get));
        }
        var cached = compilations.cachedJars(compilations.database().dsl(), inputs.values());
        var misses = new ArrayList<List<String>>();
        for (var unit : ready) {
            if (unit.stream().allMatch(m -> cached.containsKey(inputs.get(m)))) {
                unit.forEach(m -> builds.put(m, new BuildInputs.ProducerBuild(m, cached.get(inputs.get(m)), inputs.get(m))));
                stored.addAll(unit);
                unit.forEach(m -> compiledMillis.putIfAbsent(inputs.get(m), 0L));
            } else {
                misses.add(unit);
            }
        }
        // Enough batches for every live node to take one, when there are enough units (one node: batches of BATCH).
        var split = CompileBatches.split(misses, Math.max(Math.min(MIN_BATCH, BATCH),
                Math.min(BATCH, -Math.floorDiv(-misses.size(), local.liveNodes()))));
        var seqs = batches.plan(run.id(), round, split);
        local.wake();
        var written = new ArrayList<Planned>();
        for (int i = 0; i < split.size(); i++) {
            var ofBatch = new HashMap<String, String>();
            split.get(i).stream().flatMap(List::stream).forEach(m -> ofBatch.put(m, inputs.get(m)));
            written.add(new Planned(seqs.get(i), split.get(i), ofBatch));
        }
        synchronized (this) {
            notifyAll();
        }
        return written;
    }

    /** Waits until batches are done, and learns their jars from the cache; or until this node compiled more than {@code known}. */
    private void awaitSomeDone(List<Planned> outstanding, int known) {
        var seqs = outstanding.stream().map(Planned::seq).toList();
        var done = java.util.Set.<Integer>of();
        while (done.isEmpty() && builds.size() == known && !stopped && !Thread.currentThread().isInterrupted()) {
            done = batches.done(run.id(), seqs);
            if (done.isEmpty()) {
                local.awaitBatchDone(POLL_MILLIS);
            }
        }
        var ended = done;
        var finished = outstanding.stream().filter(b -> ended.contains(b.seq())).toList();
        if (finished.isEmpty()) {
            return;
        }
        outstanding.removeAll(finished);
        var inputs = finished.stream().flatMap(b -> b.inputs().values().stream()).toList();
        var cached = compilations.cachedJars(compilations.database().dsl(), inputs);
        var millis = batches.millis(run.id(), finished.stream().map(Planned::seq).toList());
        for (var batch : finished) {
            for (var unit : batch.units()) {
                if (unit.stream().allMatch(m -> cached.containsKey(batch.inputs().get(m)))) {
                    unit.forEach(m -> builds.put(m, new BuildInputs.ProducerBuild(m, cached.get(batch.inputs().get(m)), batch.inputs().get(m))));
                    stored.addAll(unit);
                    unit.forEach(m -> compiledMillis.put(batch.inputs().get(m), millis.getOrDefault(batch.seq(), 0L)));
                } else {
                    unit.forEach(m -> settled.add(batch.inputs().get(m))); // did not compile: its group compiles it, or has its failure
                }
            }
        }
        synchronized (this) {
            notifyAll();
        }
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
