package modprep.preparation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import modprep.environment.BuildInputs;
import modprep.environment.Compilations;
import modprep.environment.Currentness;
import modprep.environment.EnvironmentSnapshot;
import modprep.platform.PlatformVersion;
import org.jooq.DSLContext;

/**
 * A run as its compile batches see it (P14): the environment it prepares, and each module's compilation
 * as the batches find it, current ones first, then those compiled by earlier batches on any node.
 */
record BatchRun(long runId, PlatformVersion version, EnvironmentSnapshot snapshot, Map<String, BuildInputs.ProducerBuild> builds) {

    /** The run's environment as the database has it now (a node that did not plan the run). */
    static BatchRun load(DSLContext dsl, long runId) {
        var to = new RunRepository(dsl).run(runId).to();
        var snapshot = EnvironmentSnapshot.load(dsl, to);
        var builds = new ConcurrentHashMap<String, BuildInputs.ProducerBuild>();
        snapshot.publishedGraph().modules().stream().filter(snapshot::isCurrent).forEach(m -> builds.put(m, snapshot.build(m).asProducer(m)));
        return new BatchRun(runId, to, snapshot, builds);
    }

    /** The claimed batches' units that can be compiled now; their inputs are put into {@code inputs}. */
    List<List<String>> compilable(Compilations compilations, List<CompileBatches.Batch> claimed, Map<String, String> inputs) {
        var graph = snapshot.publishedGraph();
        var units = new ArrayList<List<String>>();
        for (var batch : claimed) {
            for (var unit : batch.units()) {
                if (!unit.stream().allMatch(graph::contains)) {
                    continue; // deleted or unpublished since: its group will say so
                }
                var in = inputsOf(compilations, unit);
                if (in != null) {
                    inputs.putAll(in);
                    units.add(unit);
                }
            }
        }
        return units;
    }

    /**
     * The inputs of a unit as its group will expect them; null when a producer has no compilation (it
     * failed, or its batch is not done: then its own batch, or the group, compiles it).
     */
    Map<String, String> inputsOf(Compilations compilations, List<String> unit) {
        var producers = snapshot.publishedGraph().externalProducers(unit);
        // Producers compiled by earlier batches, here or on other nodes: found in the cache by their own inputs.
        producers.forEach(p -> resolve(compilations, p));
        // Null when one has none; when every direct producer has one, so has every transitive one (resolved first).
        return Currentness.inputs(version, unit, m -> snapshot.module(m).publishedSourcesSha256(), producers, builds::get);
    }

    /** Finds a producer's compilation in the cache, its own producers first. */
    private void resolve(Compilations compilations, String module) {
        if (builds.containsKey(module)) {
            return;
        }
        var graph = snapshot.publishedGraph();
        var unit = graph.unitOf(module);
        var producers = graph.externalProducers(unit);
        producers.forEach(p -> resolve(compilations, p));
        var in = Currentness.inputs(version, unit, m -> snapshot.module(m).publishedSourcesSha256(), producers, builds::get);
        if (in == null) {
            return; // a producer has no compilation: neither has this one
        }
        var jars = compilations.cachedJars(compilations.database().dsl(), in.values());
        if (unit.stream().allMatch(m -> jars.containsKey(in.get(m)))) {
            unit.forEach(m -> builds.put(m, new BuildInputs.ProducerBuild(m, jars.get(in.get(m)), in.get(m))));
        }
    }
}
