package modprep.environment;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who uses whom: each module's producers, its consumers, and the units it compiles in (a module on
 * its own, or all the modules of a reference cycle together), producers first.
 */
public final class ModuleGraph {
    private final Map<String, List<String>> producers;
    private final Map<String, List<String>> consumers = new TreeMap<>();
    private List<List<String>> units;
    private Map<String, List<String>> unitOf;

    /** @param producers each module's producers; producers outside the map are ignored */
    public ModuleGraph(Map<String, List<String>> producers) {
        this.producers = new TreeMap<>();
        producers.forEach((module, refs) -> this.producers.put(module,
                refs.stream().filter(producers::containsKey).distinct().sorted().toList()));
        this.producers.keySet().forEach(m -> consumers.put(m, new ArrayList<>()));
        this.producers.forEach((module, refs) -> refs.forEach(p -> consumers.get(p).add(module)));
    }

    public Set<String> modules() {
        return producers.keySet();
    }

    public boolean contains(String module) {
        return producers.containsKey(module);
    }

    public List<String> producersOf(String module) {
        return producers.getOrDefault(module, List.of());
    }

    public List<String> consumersOf(String module) {
        return consumers.getOrDefault(module, List.of());
    }

    /** P6: how many modules reference this one. */
    public int referenceCount(String module) {
        return consumersOf(module).size();
    }

    /** Units in an order where every unit comes after the units of its producers. */
    public List<List<String>> units() {
        if (units == null) {
            units = stronglyConnectedComponents();
            unitOf = new HashMap<>();
            units.forEach(unit -> unit.forEach(m -> unitOf.put(m, unit)));
        }
        return units;
    }

    /** The unit a module compiles in: itself alone, or every module of its reference cycle. */
    public List<String> unitOf(String module) {
        units();
        return unitOf.get(module);
    }

    /** Producers of the unit's modules that are not in the unit. */
    public List<String> externalProducers(Collection<String> unit) {
        var external = new LinkedHashSet<String>();
        unit.forEach(m -> producersOf(m).stream().filter(p -> !unit.contains(p)).forEach(external::add));
        return List.copyOf(external);
    }

    /** The first producer outside the unit that {@code test} refuses, or null when it takes them all (nothing copied out). */
    public String externalProducerNot(Collection<String> unit, java.util.function.Predicate<String> test) {
        for (String m : unit) {
            for (String p : producersOf(m)) {
                if (!test.test(p) && !unit.contains(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Every module reached by following producers from the given ones, nearest first. */
    public List<String> transitiveProducers(Collection<String> start) {
        return reach(start, this::producersOf);
    }

    /** Every module reached by following consumers from the given ones, nearest first. */
    public List<String> transitiveConsumers(Collection<String> start) {
        return reach(start, this::consumersOf);
    }

    private static List<String> reach(Collection<String> start, java.util.function.Function<String, List<String>> next) {
        var seen = new LinkedHashSet<String>();
        var queue = new ArrayDeque<String>();
        start.forEach(s -> next.apply(s).forEach(queue::add));
        while (!queue.isEmpty()) {
            String m = queue.poll();
            if (seen.add(m)) {
                queue.addAll(next.apply(m));
            }
        }
        return List.copyOf(seen);
    }

    /** Tarjan's algorithm, without recursion so that long chains of modules cannot overflow the stack. */
    private List<List<String>> stronglyConnectedComponents() {
        var index = new HashMap<String, Integer>();
        var low = new HashMap<String, Integer>();
        var onStack = new java.util.HashSet<String>();
        var stack = new ArrayDeque<String>();
        var result = new ArrayList<List<String>>();
        int counter = 0;
        for (String root : producers.keySet()) {
            if (index.containsKey(root)) {
                continue;
            }
            var work = new ArrayDeque<Map.Entry<String, Integer>>();
            work.push(Map.entry(root, 0));
            while (!work.isEmpty()) {
                var frame = work.pop();
                String v = frame.getKey();
                int next = frame.getValue();
                if (next == 0) {
                    index.put(v, counter);
                    low.put(v, counter);
                    counter++;
                    stack.push(v);
                    onStack.add(v);
                }
                var edges = producersOf(v);
                if (next > 0) {
                    String child = edges.get(next - 1);
                    low.put(v, Math.min(low.get(v), low.get(child)));
                }
                boolean descended = false;
                for (int i = next; i < edges.size(); i++) {
                    String w = edges.get(i);
                    if (!index.containsKey(w)) {
                        work.push(Map.entry(v, i + 1));
                        work.push(Map.entry(w, 0));
                        descended = true;
                        break;
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                }
                if (!descended && low.get(v).equals(index.get(v))) {
                    var component = new ArrayList<String>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    component.sort(null);
                    result.add(List.copyOf(component));
                }
            }
        }
        return List.copyOf(result);
    }
}
