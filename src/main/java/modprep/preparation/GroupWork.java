package modprep.preparation;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import modprep.environment.EnvironmentSnapshot;
import modprep.status.ModuleStatus;

/**
 * One group's work in progress (see {@link GroupPreparer}): its units, their inputs, how each module
 * ended so far; and the rules that decide what a module waits on (step 2) and what a failure blocks (P10).
 */
final class GroupWork {
    /** How one module of the group ended. */
    record Outcome(ModuleStatus status, String inputs, String jar, boolean newBuild, String diagnostics,
                  Set<String> blockedBy, long millis) {
        static Outcome prepared(String inputs, String jar, boolean newBuild, long millis) {
            return new Outcome(ModuleStatus.PREPARED, inputs, jar, newBuild, null, Set.of(), millis);
        }

        static Outcome failed(String diagnostics, long millis) {
            return new Outcome(ModuleStatus.FAILED, null, null, false, diagnostics, Set.of(), millis);
        }

        static Outcome blocked(Set<String> by) {
            return new Outcome(ModuleStatus.BLOCKED, null, null, false, null, by, 0);
        }
    }

    final int seq;
    final Map<String, Outcome> outcomes = new LinkedHashMap<>();
    final Map<String, String> inputs = new HashMap<>();
    final List<List<String>> units = new ArrayList<>();
    OffsetDateTime compileStarted;
    OffsetDateTime compileFinished;

    GroupWork(int seq) {
        this.seq = seq;
    }

    /** A module that did not compile: failed with javac's errors, or blocked by its cycle's failing modules. */
    static Outcome outcomeOf(modprep.platform.ModuleOutcome outcome, long millis) {
        return outcome.errors().isEmpty() ? Outcome.blocked(new TreeSet<>(outcome.blockedBy()))
                : Outcome.failed(outcome.renderedErrors(), millis);
    }

    /**
     * Step 2: each module's producers' compilations for the new version, and so its inputs. A module
     * already prepared (published meanwhile) needs nothing; one whose producer is not prepared waits.
     */
    void updateReferences(EnvironmentSnapshot snapshot, List<String> names) {
        var graph = snapshot.publishedGraph();
        var inGroup = new LinkedHashSet<>(names);
        var seen = new java.util.HashSet<String>();
        for (String name : names) {
            if (!seen.add(name)) {
                continue;
            }
            if (snapshot.isCurrent(name)) {
                var build = snapshot.build(name);
                outcomes.put(name, Outcome.prepared(build.inputsSha256(), build.jarSha256(), false, 0));
                continue;
            }
            var unit = graph.unitOf(name).stream().filter(inGroup::contains).toList();
            seen.addAll(unit);
            var waitingOn = new TreeSet<>(graph.externalProducers(unit).stream().filter(p -> !snapshot.isCurrent(p)).toList());
            var expected = waitingOn.isEmpty() ? snapshot.expectedInputs(unit) : null;
            if (expected == null) {
                unit.forEach(m -> outcomes.put(m, Outcome.blocked(waitingOn)));
                continue;
            }
            inputs.putAll(expected);
            units.add(unit);
        }
    }

    /**
     * P10: every module that uses a failed one, transitively, with the failures it waits on; those still
     * waiting in the run become blocked.
     */
    static Map<String, String> blockedConsumers(EnvironmentSnapshot snapshot, Map<String, Set<String>> roots) {
        var blockedBy = new HashMap<String, Set<String>>();
        roots.forEach((module, causes) -> snapshot.publishedGraph().transitiveConsumers(List.of(module))
                .forEach(c -> blockedBy.computeIfAbsent(c, k -> new TreeSet<>()).addAll(causes)));
        var result = new HashMap<String, String>();
        blockedBy.forEach((m, causes) -> result.put(m, String.join(", ", causes)));
        return result;
    }
}
