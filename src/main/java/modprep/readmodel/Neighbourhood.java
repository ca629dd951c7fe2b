package modprep.readmodel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import modprep.environment.ModuleGraph;
import modprep.status.ModuleStatus;
import modprep.status.VersionStatus;

/**
 * A module's neighbourhood for its picture: producers and consumers to depth 2, one column per depth
 * (-2 … 2), each column capped at {@link #CAP} modules with a count of the modules it leaves out, so a
 * module of a 10,000-module factory shows at most 4 × CAP + 1 boxes. Modules in trouble come first.
 */
public record Neighbourhood(String module, List<Column> columns, List<Edge> edges) {
    public static final int CAP = 8;

    /** One depth: -1 its producers, -2 theirs, 1 its consumers, 2 theirs; 0 the module itself. */
    public record Column(int depth, List<Node> nodes, int leftOut) {
        private static final String[] HEADINGS = {"Producers' producers", "Producers", "This module", "Consumers", "Consumers' consumers"};

        /** What the column holds, in words. */
        public String heading() {
            return HEADINGS[depth + 2];
        }

        public int total() {
            return nodes.size() + leftOut;
        }
    }

    public record Node(String name, ModuleStatus status, String label, boolean locked) {
    }

    /** A reference between two modules shown: {@code consumer} uses {@code producer}. */
    public record Edge(String producer, String consumer) {
    }

    /** Which modules are shown first: failures, then blocked, being prepared, waiting, the rest; then by name. */
    private static final List<ModuleStatus> FIRST = List.of(ModuleStatus.FAILED, ModuleStatus.BLOCKED, ModuleStatus.PREPARING,
            ModuleStatus.PENDING);

    /**
     * @param statuses every module's status (the board's)
     * @param lockedAmong which of the given modules are locked now (asked once, for the modules shown)
     */
    public static Neighbourhood of(ModuleGraph graph, String module, Map<String, VersionStatus> statuses,
                                   Function<Collection<String>, Set<String>> lockedAmong) {
        var seen = new LinkedHashSet<String>();
        seen.add(module);
        var producers1 = ring(List.of(module), graph::producersOf, seen);
        var producers2 = ring(producers1, graph::producersOf, seen);
        var consumers1 = ring(List.of(module), graph::consumersOf, seen);
        var consumers2 = ring(consumers1, graph::consumersOf, seen);
        var rings = List.of(producers2, producers1, List.of(module), consumers1, consumers2);
        var shownNames = new ArrayList<List<String>>();
        for (var ring : rings) {
            shownNames.add(ring.stream().sorted(order(statuses)).limit(CAP).toList());
        }
        var locked = lockedAmong.apply(shownNames.stream().flatMap(List::stream).toList());
        var columns = new ArrayList<Column>();
        for (int i = 0; i < rings.size(); i++) {
            var nodes = shownNames.get(i).stream().map(n -> node(n, statuses.get(n), locked.contains(n))).toList();
            columns.add(new Column(i - 2, nodes, rings.get(i).size() - nodes.size()));
        }
        var edges = new ArrayList<Edge>();
        for (int i = 0; i + 1 < shownNames.size(); i++) {
            var next = Set.copyOf(shownNames.get(i + 1));
            for (String producer : shownNames.get(i)) {
                for (String consumer : graph.consumersOf(producer)) {
                    if (next.contains(consumer)) {
                        edges.add(new Edge(producer, consumer));
                    }
                }
            }
        }
        return new Neighbourhood(module, columns, edges);
    }

    /** The modules one step further out from {@code from}, not already seen (a cycle's members appear once). */
    private static List<String> ring(List<String> from, Function<String, List<String>> step, Set<String> seen) {
        var ring = new LinkedHashSet<String>();
        for (String name : from) {
            for (String next : step.apply(name)) {
                if (!seen.contains(next)) {
                    ring.add(next);
                }
            }
        }
        seen.addAll(ring);
        return List.copyOf(ring);
    }

    private static Comparator<String> order(Map<String, VersionStatus> statuses) {
        return Comparator.<String>comparingInt(name -> {
            var status = statuses.get(name);
            int rank = status == null ? -1 : FIRST.indexOf(status.status());
            return rank < 0 ? FIRST.size() : rank;
        }).thenComparing(Comparator.naturalOrder());
    }

    private static Node node(String name, VersionStatus status, boolean locked) {
        return status == null ? new Node(name, null, "unknown", locked) : new Node(name, status.status(), status.label(), locked);
    }

    /** The most modules a column shows (for templates). */
    public int cap() {
        return CAP;
    }

    /** How many modules the picture leaves out, over every column. */
    public int leftOut() {
        return columns.stream().mapToInt(Column::leftOut).sum();
    }
}
