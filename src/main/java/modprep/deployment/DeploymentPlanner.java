package modprep.deployment;

import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_CODE;
import static modprep.db.schema.Tables.MODULE_DEPLOYMENT;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import modprep.environment.EnvironmentSnapshot;
import modprep.environment.PreparationView;
import modprep.preparation.Planner;
import modprep.status.ModuleStatus;
import org.jooq.DSLContext;
import org.jooq.Records;

/**
 * Decides what a deployment deploys (D3, D6): every module prepared for the current version whose
 * prepared compilation was never deployed to it, in groups of the group size, producers first (the
 * preparation's Planner). Every other module is listed with why it is skipped, in the words of its status
 * (the one rule, {@link ModuleStatus#of}); none is left out silently.
 */
public final class DeploymentPlanner {

    /** A module to deploy: the compilation planned, and the code versions it was prepared from (for D5's reasons). */
    public record Item(String name, long moduleId, String inputs, String jar, int codeSeq, String producerCodes) {
    }

    /** The groups in order, the modules skipped with why, and how many already run their compilation for the version. */
    public record Plan(String version, List<List<Item>> groups, Map<String, String> skipped, int alreadyRunning) {
        public int moduleCount() {
            return groups.stream().mapToInt(List::size).sum();
        }
    }

    /** A compilation deployed before: by which deployment, and when it was rolled back. */
    private record Deployed(String inputs, long deploymentId, OffsetDateTime rolledBackAt) {
    }

    public Plan plan(DSLContext tx, EnvironmentSnapshot snapshot, PreparationView preparation, int groupSize) {
        var version = snapshot.version();
        var run = preparation.latestRun(tx, version, null);
        var deployedBefore = new TreeMap<String, List<Deployed>>();
        tx.select(MODULE.NAME, MODULE_DEPLOYMENT.INPUTS_SHA256, MODULE_DEPLOYMENT.DEPLOYMENT_ID, MODULE_DEPLOYMENT.ROLLED_BACK_AT)
                .from(MODULE_DEPLOYMENT).join(MODULE).on(MODULE.ID.eq(MODULE_DEPLOYMENT.MODULE_ID))
                .where(MODULE_DEPLOYMENT.PLATFORM_VERSION.eq(version.toString()))
                .fetch(Records.mapping((name, inputs, id, rolledBack) -> Map.entry(name, new Deployed(inputs, id, rolledBack))))
                .forEach(e -> deployedBefore.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        var seqs = tx.select(MODULE_CODE.ID, MODULE_CODE.SEQ).from(MODULE_CODE).join(MODULE).on(MODULE.PUBLISHED_CODE_ID.eq(MODULE_CODE.ID))
                .fetchMap(MODULE_CODE.ID, MODULE_CODE.SEQ);

        var skipped = new LinkedHashMap<String, String>();
        var deployable = new HashSet<String>();
        int running = 0;
        for (var module : snapshot.modules().values()) {
            var status = ModuleStatus.of(version.toString(), module.facts(), snapshot.isCurrent(module.name()), run.inProgress(),
                    run.entries().get(module.name()));
            if (status.status() == ModuleStatus.RUNNING) {
                running++;
            } else if (status.status() != ModuleStatus.PREPARED) {
                skipped.put(module.name(), status.text());
            } else {
                var build = snapshot.build(module.name());
                var before = deployedBefore.getOrDefault(module.name(), List.of()).stream()
                        .filter(d -> d.inputs().equals(build.inputsSha256())).findFirst();
                if (before.isPresent()) {
                    // D6: the same compilation is never deployed twice.
                    skipped.put(module.name(), "Its compilation for " + version + " was deployed by deployment #" + before.get().deploymentId()
                            + (before.get().rolledBackAt() == null ? "" : " and rolled back")
                            + ": the same compilation is never deployed twice. Prepare it again (after a fix) or publish it.");
                } else {
                    deployable.add(module.name());
                }
            }
        }
        var graph = snapshot.publishedGraph();
        // A unit goes whole, and only once every producer outside it runs or is deployed before it (D3).
        var units = new ArrayList<List<String>>();
        var deployed = new HashSet<String>();
        for (var unit : graph.units()) {
            if (!unit.stream().allMatch(deployable::contains)) {
                unit.stream().filter(deployable::contains).forEach(m -> skipped.put(m, "Prepared, but not deployed: it is on a reference "
                        + "cycle with " + String.join(", ", unit.stream().filter(o -> !deployable.contains(o)).toList())
                        + ", which is not deployable."));
                continue;
            }
            var missing = graph.externalProducers(unit).stream().filter(p -> !deployed.contains(p) && !isRunning(snapshot, p, version.toString()))
                    .toList();
            if (!missing.isEmpty()) {
                unit.forEach(m -> skipped.put(m, "Blocked: it uses " + String.join(", ", missing) + ", which will not be deployed, "
                        + "so it would run a compilation built against one that does not run."));
                continue;
            }
            units.add(unit);
            deployed.addAll(unit);
        }
        var groups = Planner.group(graph, units, groupSize, Planner.mostReferencedFirst(graph)).stream()
                .map(names -> names.stream().map(name -> item(snapshot, name, seqs)).toList()).toList();
        return new Plan(version.toString(), groups, skipped, running);
    }

    private static boolean isRunning(EnvironmentSnapshot snapshot, String module, String version) {
        var state = snapshot.module(module);
        return state != null && snapshot.isCurrent(module) && version.equals(state.runningVersion());
    }

    private static Item item(EnvironmentSnapshot snapshot, String name, Map<Long, Integer> seqs) {
        var module = snapshot.module(name);
        var build = snapshot.build(name);
        return new Item(name, module.id(), build.inputsSha256(), build.jarSha256(), seqs.getOrDefault(module.publishedCodeId(), 0),
                producerCodes(snapshot, module.publishedProducers(), seqs));
    }

    /** "Core:3,Lib:2": the code version each producer runs now, which the module's compilation was prepared against. */
    static String producerCodes(EnvironmentSnapshot snapshot, List<String> producers, Map<Long, Integer> seqs) {
        var parts = new ArrayList<String>();
        for (String p : producers) {
            var state = snapshot.module(p);
            parts.add(p + ":" + (state == null || state.publishedCodeId() == null ? 0 : seqs.getOrDefault(state.publishedCodeId(), 0)));
        }
        return String.join(",", parts);
    }

    /** The producer code versions recorded by {@link #producerCodes}. */
    static Map<String, Integer> parseProducerCodes(String text) {
        var result = new LinkedHashMap<String, Integer>();
        if (text != null && !text.isEmpty()) {
            for (String part : text.split(",")) {
                int colon = part.lastIndexOf(':');
                result.put(part.substring(0, colon), Integer.parseInt(part.substring(colon + 1)));
            }
        }
        return result;
    }

    static Set<String> names(Plan plan) {
        var names = new HashSet<String>();
        plan.groups().forEach(g -> g.forEach(i -> names.add(i.name())));
        return names;
    }
}
