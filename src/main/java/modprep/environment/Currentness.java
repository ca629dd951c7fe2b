package modprep.environment;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;
import modprep.platform.PlatformVersion;

/**
 * The one rule of whether a published module is current for a version, that is prepared (or
 * published) for it (P3, P8, P11): it has a compilation of the code it runs, made from the inputs its
 * producers' current compilations give now, and those producers are current too; the modules of a
 * reference cycle are current together. The snapshot, the planner, the worker, the compile-ahead and
 * the console all ask it.
 *
 * <p>Immutable: compilations saved since give a new one with {@link #with}, worked out again only for
 * the units they belong to and, in order, the consumers of every unit that changed.
 */
public final class Currentness {
    private final PlatformVersion version;
    private final Map<String, EnvironmentSnapshot.ModuleState> modules;
    private final ModuleGraph graph;
    /** Each module's unit, by its position in the graph's units (producers' units come first). */
    private final Map<String, Integer> unitIndex;
    private final Map<String, EnvironmentSnapshot.Build> builds;
    private final Map<String, Boolean> current;

    private Currentness(PlatformVersion version, Map<String, EnvironmentSnapshot.ModuleState> modules, ModuleGraph graph,
                        Map<String, Integer> unitIndex, Map<String, EnvironmentSnapshot.Build> builds, Map<String, Boolean> current) {
        this.version = version;
        this.modules = modules;
        this.graph = graph;
        this.unitIndex = unitIndex;
        this.builds = builds;
        this.current = current;
    }

    /** Works out every published module, producers first. */
    static Currentness of(PlatformVersion version, Map<String, EnvironmentSnapshot.ModuleState> modules, ModuleGraph graph,
                          Map<String, EnvironmentSnapshot.Build> builds) {
        var units = graph.units();
        var unitIndex = new HashMap<String, Integer>(graph.modules().size() * 2);
        var result = new Currentness(version, modules, graph, unitIndex, builds, new HashMap<>(graph.modules().size() * 2));
        for (int i = 0; i < units.size(); i++) {
            var unit = units.get(i);
            boolean ok = result.unitCurrent(unit);
            for (String m : unit) {
                unitIndex.put(m, i);
                result.current.put(m, ok);
            }
        }
        return result;
    }

    public boolean isCurrent(String module) {
        return current.getOrDefault(module, false);
    }

    /** The module's compilation for the version, if it has one. */
    public EnvironmentSnapshot.Build build(String module) {
        return builds.get(module);
    }

    /** The inputs each module of a unit would be compiled from now; null when a producer has no compilation. */
    public Map<String, String> expectedInputs(List<String> unit) {
        return inputs(version, unit, m -> modules.get(m).publishedSourcesSha256(), graph.externalProducers(unit),
                p -> builds.get(p) == null ? null : builds.get(p).asProducer(p));
    }

    /**
     * The inputs of a unit compiled against these producers' compilations (null when one has none): the
     * inputs the worker, the compile-ahead and the rule itself all compute.
     */
    public static Map<String, String> inputs(PlatformVersion version, List<String> unit, Function<String, String> sourcesOf,
                                             List<String> producers, Function<String, BuildInputs.ProducerBuild> producerBuild) {
        var sources = new LinkedHashMap<String, String>();
        unit.forEach(m -> sources.put(m, sourcesOf.apply(m)));
        var builds = new ArrayList<BuildInputs.ProducerBuild>(producers.size());
        for (String p : producers) {
            var build = producerBuild.apply(p);
            if (build == null) {
                return null;
            }
            builds.add(build);
        }
        return BuildInputs.of(version, sources, builds);
    }

    /**
     * With compilations saved since: the units they belong to are worked out again, and then, in order,
     * the consumers of every unit whose compilations or currentness changed. Adds to {@code changed} the
     * modules whose currentness changed.
     */
    public Currentness with(Map<String, EnvironmentSnapshot.Build> saved, Set<String> changed) {
        var units = graph.units();
        var merged = new HashMap<>(builds);
        merged.putAll(saved);
        var next = new Currentness(version, modules, graph, unitIndex, merged, new HashMap<>(current));
        var queue = new PriorityQueue<Integer>();
        var queued = new BitSet(units.size());
        for (String m : saved.keySet()) {
            Integer i = unitIndex.get(m);
            if (i != null && !queued.get(i)) {
                queued.set(i);
                queue.add(i);
            }
        }
        while (!queue.isEmpty()) {
            int i = queue.poll();
            var unit = units.get(i);
            boolean now = next.unitCurrent(unit);
            boolean was = next.isCurrent(unit.get(0));
            if (now != was) {
                unit.forEach(m -> next.current.put(m, now));
                changed.addAll(unit);
            }
            if (now != was || unit.stream().anyMatch(saved::containsKey)) {
                for (String m : unit) {
                    for (String consumer : graph.consumersOf(m)) {
                        int c = unitIndex.get(consumer);
                        if (c != i && !queued.get(c)) {
                            queued.set(c);
                            queue.add(c);
                        }
                    }
                }
            }
        }
        return next;
    }

    /** The rule, for one unit whose outside producers are already worked out. */
    private boolean unitCurrent(List<String> unit) {
        if (graph.externalProducerNot(unit, this::isCurrent) != null) {
            return false;
        }
        var expected = expectedInputs(unit);
        if (expected == null) {
            return false;
        }
        for (String m : unit) {
            var build = builds.get(m);
            if (build == null || build.codeId() != modules.get(m).publishedCodeId() || !build.inputsSha256().equals(expected.get(m))) {
                return false;
            }
        }
        return true;
    }
}
