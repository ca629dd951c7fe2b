package modprep.insight;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import modprep.environment.ModuleGraph;
import modprep.status.ModuleStatus;
import modprep.status.VersionStatus;

/**
 * I3: the failures, the one to fix first first: ranked by how many modules wait on them through the
 * graph, transitively (a consumer of a consumer waits as well), then by how many applications those are
 * in, then by name. A module still waiting on several failures counts for each.
 */
public final class FixFirst {
    /** Modules named per failure; the counts are whole. */
    static final int NAMED = 10;

    private FixFirst() {
    }

    /** A failure and what it blocks: modules (the first {@link #NAMED} by name) and their applications. */
    public record Blocker(String module, String application, int modules, int applications, List<String> blockedModules,
                         List<String> blockedApplications) {
        /** "Auth — blocks 3 modules in 2 applications". */
        public String sentence() {
            return module + " — " + blocks();
        }

        /** "blocks 3 modules in 2 applications". */
        public String blocks() {
            return modules == 0 ? "blocks no other module"
                    : "blocks " + modules + (modules == 1 ? " module" : " modules") + " in " + applications
                    + (applications == 1 ? " application" : " applications");
        }
    }

    /**
     * Every failed module with what it blocks, the one to fix first first.
     *
     * @param graph        who uses whom (the published modules)
     * @param statuses     every module's status for the version (the one rule, ModuleStatus.of)
     * @param applications each module's application
     */
    public static List<Blocker> rank(ModuleGraph graph, Map<String, VersionStatus> statuses, Map<String, String> applications) {
        var ranked = new ArrayList<Blocker>();
        statuses.forEach((module, status) -> {
            if (status.status() != ModuleStatus.FAILED || !graph.contains(module)) {
                return;
            }
            // What it keeps from V: its consumers, transitively, that are not current for V.
            var blocked = new TreeSet<String>();
            graph.transitiveConsumers(List.of(module)).stream()
                    .filter(c -> !c.equals(module) && statuses.containsKey(c) && !statuses.get(c).status().current())
                    .forEach(blocked::add);
            var apps = new TreeSet<String>();
            blocked.forEach(m -> apps.add(applications.get(m)));
            ranked.add(new Blocker(module, applications.get(module), blocked.size(), apps.size(),
                    blocked.stream().limit(NAMED).toList(), apps.stream().limit(NAMED).toList()));
        });
        ranked.sort(Comparator.comparingInt(Blocker::modules).reversed().thenComparing(Comparator.comparingInt(Blocker::applications).reversed())
                .thenComparing(Blocker::module));
        return List.copyOf(ranked);
    }
}
