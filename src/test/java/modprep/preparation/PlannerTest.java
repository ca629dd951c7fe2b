package modprep.preparation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import modprep.environment.ModuleGraph;
import org.junit.jupiter.api.Test;

/** P6: the planner's groups, on hand-made graphs and on many random ones. */
class PlannerTest {

    private static ModuleGraph graph(String... edges) {
        // "A<B,C" means A references (consumes) B and C; "A" alone is a module without references.
        var producers = new LinkedHashMap<String, List<String>>();
        for (String edge : edges) {
            String[] parts = edge.split("<");
            producers.put(parts[0], parts.length == 1 ? List.of() : List.of(parts[1].split(",")));
        }
        return new ModuleGraph(producers);
    }

    private static List<List<String>> plan(ModuleGraph graph, int size) {
        return Planner.group(graph, graph.units(), size, Planner.mostReferencedFirst(graph));
    }

    @Test
    void the_most_referenced_module_among_the_ready_ones_comes_first_P6() {
        var g = graph("Core", "Util", "Lone", "A<Core,Util", "B<Core,Util", "C<Core", "D<Core", "E<A");
        assertEquals(List.of(List.of("Core"), List.of("Util")), plan(g, 1).subList(0, 2), "4 consumers, then 2");
        var groups = plan(g, 3);
        assertEquals(List.of("Core", "Util", "Lone"), groups.get(0), "4, 2 and 0 consumers: the ready ones, most referenced first");
        assertEquals(List.of("A", "B", "C"), groups.get(1), "A has a consumer; B and C none, by name");
        assertEquals(List.of("D", "E"), groups.get(2));
    }

    @Test
    void a_consumer_never_shares_a_group_with_its_producer_even_when_there_is_room_P6() {
        var groups = plan(graph("Core", "Mid<Core", "Top<Mid"), 10);
        assertEquals(List.of(List.of("Core"), List.of("Mid"), List.of("Top")), groups);
    }

    @Test
    void a_reference_cycle_is_planned_whole_in_one_group_even_when_larger_than_the_group_size_P6() {
        var groups = plan(graph("Core", "X<Core,Z", "Y<X", "Z<Y", "User<Y"), 2);
        assertEquals(List.of(List.of("Core"), List.of("X", "Y", "Z"), List.of("User")), groups);
    }

    @Test
    void groups_are_at_most_the_configured_size() {
        var edges = new ArrayList<String>();
        edges.add("Core");
        for (int i = 0; i < 25; i++) {
            edges.add("M" + i + "<Core");
        }
        var groups = plan(graph(edges.toArray(String[]::new)), 10);
        assertEquals(List.of(1, 10, 10, 5), groups.stream().map(List::size).toList());
    }

    /** Random graphs, cycles included: every invariant of P6 holds for every size. */
    @Test
    void on_random_graphs_producers_always_come_in_earlier_groups_and_each_module_is_planned_once_P6() {
        var random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(60);
            var producers = new LinkedHashMap<String, List<String>>();
            for (int i = 0; i < n; i++) {
                var refs = new TreeSet<String>();
                int count = random.nextInt(4);
                for (int r = 0; r < count; r++) {
                    // Mostly references to earlier modules; now and then a later one, which may close a cycle.
                    int target = random.nextInt(10) == 0 ? random.nextInt(n) : (i == 0 ? -1 : random.nextInt(i));
                    if (target >= 0 && target != i) {
                        refs.add("M" + target);
                    }
                }
                producers.put("M" + i, List.copyOf(refs));
            }
            var graph = new ModuleGraph(producers);
            int size = 1 + random.nextInt(12);
            var groups = plan(graph, size);
            String context = "round " + round + ", size " + size + ", " + producers + " → " + groups;

            var groupOf = new HashMap<String, Integer>();
            for (int g = 0; g < groups.size(); g++) {
                for (String m : groups.get(g)) {
                    assertTrue(groupOf.put(m, g) == null, "planned twice: " + m + " in " + context);
                }
            }
            assertEquals(n, groupOf.size(), "every module planned: " + context);
            for (var group : groups) {
                var unitsInGroup = group.stream().map(graph::unitOf).distinct().toList();
                assertTrue(group.size() <= size || unitsInGroup.size() == 1, "group too large: " + context);
            }
            for (String consumer : producers.keySet()) {
                for (String producer : graph.producersOf(consumer)) {
                    boolean sameUnit = graph.unitOf(consumer).contains(producer);
                    if (sameUnit) {
                        assertEquals(groupOf.get(producer), groupOf.get(consumer), "a cycle in one group: " + context);
                    } else {
                        assertTrue(groupOf.get(producer) < groupOf.get(consumer),
                                producer + " must come before " + consumer + ": " + context);
                    }
                }
            }
            // Most referenced first: a group never waits on a ready unit more referenced than one it took.
            var done = new java.util.HashSet<String>();
            for (var group : groups) {
                var ready = graph.units().stream().filter(u -> !done.contains(u.get(0)))
                        .filter(u -> graph.externalProducers(u).stream().allMatch(done::contains)).toList();
                int leastTaken = group.stream().map(graph::unitOf).distinct()
                        .mapToInt(u -> Planner.referenceCount(graph, u)).min().orElseThrow();
                for (var unit : ready) {
                    if (!group.contains(unit.get(0))) {
                        int count = Planner.referenceCount(graph, unit);
                        assertTrue(count <= leastTaken,
                                unit + " (" + count + " consumers) was ready but left for later: " + context);
                    }
                }
                done.addAll(group);
            }
        }
    }
}
