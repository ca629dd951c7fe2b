package modprep.preparation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import modprep.environment.EnvironmentSnapshot;
import modprep.environment.ModuleGraph;

/**
 * Decides what a run prepares and in which groups (P2, P6, P11): every published module that is not
 * already prepared for the version, in groups of a few modules, producers always in earlier groups
 * than their consumers, and among the modules ready at the same time the most referenced first.
 */
public final class Planner {

    /** The groups of module names, in order, and the modules left out with the reason. */
    public record Plan(List<List<String>> groups, Map<String, String> excluded) {
        public int moduleCount() {
            return groups.stream().mapToInt(List::size).sum();
        }
    }

    public Plan plan(EnvironmentSnapshot snapshot, int groupSize) {
        var excluded = new LinkedHashMap<String, String>();
        snapshot.modules().values().stream().filter(m -> !m.published())
                .forEach(m -> excluded.put(m.name(), "only uploaded, never published successfully: nothing runs to prepare"));

        ModuleGraph graph = snapshot.publishedGraph();
        var toPrepare = graph.units().stream().filter(unit -> !snapshot.isCurrent(unit.get(0))).toList();
        return new Plan(group(graph, toPrepare, groupSize, mostReferencedFirst(graph)), excluded);
    }

    /** P6: among units ready at the same time, the most referenced first (then by name). */
    public static Comparator<List<String>> mostReferencedFirst(ModuleGraph graph) {
        return Comparator.comparingInt((List<String> u) -> referenceCount(graph, u)).reversed().thenComparing(u -> u.get(0));
    }

    /**
     * Kahn's order over units, a group at a time, taking the ready units in the given order (the
     * benchmark compares {@link #mostReferencedFirst} with others).
     */
    public static List<List<String>> group(ModuleGraph graph, List<List<String>> units, int groupSize,
                                           Comparator<List<String>> order) {
        var unitOf = new HashMap<String, List<String>>();
        units.forEach(u -> u.forEach(m -> unitOf.put(m, u)));
        var waitingOn = new HashMap<List<String>, Integer>();
        var consumers = new HashMap<List<String>, List<List<String>>>();
        for (var unit : units) {
            var producers = graph.externalProducers(unit).stream().map(unitOf::get).filter(java.util.Objects::nonNull)
                    .distinct().toList();
            waitingOn.put(unit, producers.size());
            producers.forEach(p -> consumers.computeIfAbsent(p, k -> new ArrayList<>()).add(unit));
        }
        var ready = new PriorityQueue<>(order);
        units.stream().filter(u -> waitingOn.get(u) == 0).forEach(ready::add);

        var groups = new ArrayList<List<String>>();
        while (!ready.isEmpty()) {
            var group = new ArrayList<String>();
            var released = new ArrayList<List<String>>();
            while (!ready.isEmpty() && (group.isEmpty() || group.size() + ready.peek().size() <= groupSize)) {
                var unit = ready.poll();
                group.addAll(unit);
                released.add(unit);
            }
            groups.add(List.copyOf(group));
            // Consumers become ready only for the next group: a group never holds a producer and its consumer.
            for (var unit : released) {
                for (var consumer : consumers.getOrDefault(unit, List.of())) {
                    if (waitingOn.merge(consumer, -1, Integer::sum) == 0) {
                        ready.add(consumer);
                    }
                }
            }
        }
        return groups;
    }

    /** P6: how many modules outside the unit reference it. */
    static int referenceCount(ModuleGraph graph, List<String> unit) {
        return (int) unit.stream().flatMap(m -> graph.consumersOf(m).stream()).filter(c -> !unit.contains(c)).distinct().count();
    }
}
