package modprep.preparation;

import static modprep.db.schema.Tables.RUN_MODULE;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import modprep.environment.BuildInputs;
import modprep.environment.Currentness;
import modprep.environment.Compilations;
import modprep.environment.EnvironmentSnapshot;
import modprep.platform.CompileUnit;
import modprep.platform.JavaSourceCompiler;
import modprep.platform.ModuleOutcome;
import modprep.status.ModuleStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a run's modules ahead of their groups, in large javac tasks on every core, into the
 * compilation cache (by inputs). When a group reaches its compile step it finds its compilations there,
 * provided nothing changed since (same sources, same producers' compilations: the same inputs); if
 * anything did, the group compiles for itself. Groups, locks and steps are unchanged: only the javac
 * work moves earlier and into bigger tasks, which is where the speed is (a javac task has a large fixed
 * cost; ten modules at a time waste most of it).
 */
final class CompileAhead implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompileAhead.class);
    /** Units per round: the compile pool splits them into tasks of up to ParallelCompiler.MAX_UNITS_PER_TASK. */
    private static final int ROUND = 120;

    private final Compilations compilations;
    private final RunRepository.Run run;
    private final Thread thread;
    /** Inputs compiled here, with how long the javac task took; and inputs that did not compile. */
    private final Map<String, Long> compiledMillis = new ConcurrentHashMap<>();
    private final Map<String, ModuleOutcome> failures = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService storer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        var t = new Thread(r, "modprep-ahead-store");
        t.setDaemon(true);
        return t;
    });
    private final List<java.util.concurrent.Future<Object>> storing = new ArrayList<>();
    private volatile boolean done;
    private volatile boolean stopped;

    private CompileAhead(Compilations compilations, RunRepository.Run run) {
        this.compilations = compilations;
        this.run = run;
        this.thread = new Thread(this::compileAll, "modprep-ahead");
        this.thread.setDaemon(true);
    }

    static CompileAhead start(Compilations compilations, RunRepository.Run run) {
        var ahead = new CompileAhead(compilations, run);
        ahead.thread.start();
        return ahead;
    }

    /** Waits until every one of these inputs is compiled (or failed) here, or there is nothing more to wait for. */
    void await(Collection<String> inputs, BooleanSupplier stopping) {
        synchronized (this) {
            while (!done && !stopping.getAsBoolean()
                    && !inputs.stream().allMatch(i -> compiledMillis.containsKey(i) || failures.containsKey(i))) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** How long the javac task that compiled these inputs took, if it ran here. */
    Long millis(String inputs) {
        return compiledMillis.get(inputs);
    }

    /** The outcome of inputs that did not compile here, so that the group need not compile them again. */
    ModuleOutcome failure(String inputs) {
        return failures.get(inputs);
    }

    private void compileAll() {
        try (var fields = modprep.logging.LogFields.put(modprep.logging.LogFields.RUN, run.id())) {
            compileAllOfRun();
        }
    }

    private void compileAllOfRun() {
        long started = System.nanoTime();
        int rounds = 0;
        try {
            var dsl = compilations.database().dsl();
            var snapshot = EnvironmentSnapshot.load(dsl, run.to());
            var graph = snapshot.publishedGraph();
            var planned = new LinkedHashSet<>(dsl.select(RUN_MODULE.MODULE_NAME).from(RUN_MODULE)
                    .where(RUN_MODULE.RUN_ID.eq(run.id()), RUN_MODULE.STATUS.in(ModuleStatus.PENDING, ModuleStatus.PREPARING))
                    .orderBy(RUN_MODULE.GROUP_SEQ, RUN_MODULE.POSITION).fetch(RUN_MODULE.MODULE_NAME));
            var remaining = new ArrayList<List<String>>();
            var seen = new java.util.HashSet<String>();
            for (String m : planned) {
                if (seen.add(m) && graph.contains(m)) {
                    var unit = graph.unitOf(m).stream().filter(planned::contains).toList();
                    seen.addAll(unit);
                    remaining.add(unit);
                }
            }
            // Each module's compilation as the groups will find it: current ones, then those compiled here.
            var builds = new HashMap<String, BuildInputs.ProducerBuild>();
            graph.modules().stream().filter(snapshot::isCurrent).forEach(m -> builds.put(m, snapshot.build(m).asProducer(m)));
            while (!remaining.isEmpty() && !stopped) {
                // The run's order as it is now: prioritising (I4) may have planned the groups not started again.
                var order = new HashMap<String, Integer>();
                var now = dsl.select(RUN_MODULE.MODULE_NAME).from(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(run.id()))
                        .orderBy(RUN_MODULE.GROUP_SEQ, RUN_MODULE.POSITION).fetch(RUN_MODULE.MODULE_NAME);
                for (int i = 0; i < now.size(); i++) {
                    order.put(now.get(i), i);
                }
                remaining.sort(java.util.Comparator.comparingInt(u -> order.getOrDefault(u.get(0), Integer.MAX_VALUE)));
                var round = new ArrayList<List<String>>();
                for (var unit : remaining) {
                    if (graph.externalProducers(unit).stream().allMatch(builds::containsKey)) {
                        round.add(unit);
                        if (round.size() == ROUND) {
                            break;
                        }
                    }
                }
                if (round.isEmpty()) {
                    break; // what is left waits on modules that did not compile: their groups will say so
                }
                remaining.removeAll(round);
                compileRound(snapshot, round, builds);
                rounds++;
            }
            for (var stored : storing) {
                stored.get();
            }
        } catch (RuntimeException | java.util.concurrent.ExecutionException e) {
            // Only a head start is lost: every group still compiles what it does not find.
            LOG.warn("compiling ahead stopped: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            storer.shutdown();
            LOG.info("compiled ahead for run #{}: {} modules in {} rounds, {} ms", run.id(), compiledMillis.size() + failures.size(),
                    rounds, (System.nanoTime() - started) / 1_000_000);
            done = true;
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private void compileRound(EnvironmentSnapshot snapshot, List<List<String>> round, Map<String, BuildInputs.ProducerBuild> builds) {
        var graph = snapshot.publishedGraph();
        var dsl = compilations.database().dsl();
        var inputs = new HashMap<String, String>();
        for (var unit : round) {
            // The inputs its group will expect, once the producers compiled ahead are saved: the same rule.
            inputs.putAll(Currentness.inputs(run.to(), unit, m -> snapshot.module(m).publishedSourcesSha256(),
                    graph.externalProducers(unit), builds::get));
        }
        var cached = compilations.cachedJars(dsl, inputs.values());
        var misses = new ArrayList<List<String>>();
        for (var unit : round) {
            if (unit.stream().allMatch(m -> cached.containsKey(inputs.get(m)))) {
                unit.forEach(m -> builds.put(m, new BuildInputs.ProducerBuild(m, cached.get(inputs.get(m)), inputs.get(m))));
                unit.forEach(m -> compiledMillis.putIfAbsent(inputs.get(m), 0L));
            } else {
                misses.add(unit);
            }
        }
        var sources = compilations.sources(dsl, misses.stream().flatMap(List::stream)
                .map(m -> snapshot.module(m).publishedSourcesSha256()).distinct().toList());
        var units = misses.stream().map(unit -> new CompileUnit(
                unit.stream().map(m -> new JavaSourceCompiler.ModuleSources(m, sources.get(snapshot.module(m).publishedSourcesSha256()))).toList(),
                compilations.classPath(run.to(), graph.externalProducers(unit), graph, unit, p -> builds.get(p).jarSha256()))).toList();
        var compiled = compilations.compile(run.to(), units);
        // The jars are known at once, so the next round compiles against them; they are stored on another
        // thread meanwhile, and only once committed does a group learn that its inputs are compiled.
        var jars = new LinkedHashMap<String, Compilations.Jar>();
        compiled.outcomes().forEach((m, outcome) -> {
            if (outcome.succeeded()) {
                var jar = compilations.jar(outcome.classes());
                jars.put(m, jar);
                builds.put(m, new BuildInputs.ProducerBuild(m, jar.sha256(), inputs.get(m)));
            }
        });
        storing.add(storer.submit(() -> {
            compilations.database().transaction(tx -> {
                var byInputs = new HashMap<String, Compilations.Jar>();
                jars.forEach((m, jar) -> byInputs.put(inputs.get(m), jar));
                compilations.store(tx, byInputs);
                return null;
            });
            compiled.outcomes().forEach((m, outcome) -> {
                if (outcome.succeeded()) {
                    compiledMillis.put(inputs.get(m), compiled.taskMillis().getOrDefault(m, 0L));
                } else {
                    failures.put(inputs.get(m), outcome);
                }
            });
            synchronized (this) {
                notifyAll();
            }
            return null;
        }));
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
