package modprep.preparation;

import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.APPLICATION;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;
import static modprep.db.schema.Tables.RUN_MODULE;
import static modprep.db.schema.Tables.RUN_PRIORITY;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modprep.ModprepException;
import modprep.environment.EnvironmentRepository;
import modprep.environment.EnvironmentSnapshot;
import modprep.environment.Names;
import modprep.platform.PlatformVersion;
import modprep.status.GroupStatus;
import modprep.status.ModuleStatus;
import modprep.status.PreparationMode;
import modprep.status.RunStatus;
import org.jooq.DSLContext;

/**
 * I4: moves a module, or an application's modules, and their unprepared producers to the front of the
 * run in progress. The groups not started yet are planned again by the planner's own rule (P6:
 * producers first, a cycle whole, most referenced first among the rest), the prioritised units ready
 * first; the groups done and the group in progress are not touched. It happens in one transaction
 * holding the run's row, which every transaction of the worker updates (its lease): a group starts
 * either before the new plan or after it, never half-way. The compile-ahead reads the order again at
 * each round, and the environment's revision moves so that every board reads the new groups.
 */
final class Prioritiser {
    private final DSLContext tx;

    Prioritiser(DSLContext tx) {
        this.tx = tx;
    }

    /** What prioritising did: the modules now first, in which groups, and how many groups the run has now. */
    record Moved(long runId, String target, List<String> modules, int firstGroup, int lastGroup, int groupCount) {
    }

    Moved prioritise(String module, String application, int groupSize, String actor, OffsetDateTime now) {
        Long running = tx.select(PREPARATION_RUN.ID).from(PREPARATION_RUN).where(PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING))
                .orderBy(PREPARATION_RUN.ID.desc()).limit(1).fetchOne(PREPARATION_RUN.ID);
        // The run's row, as the worker's every transaction takes it (its lease): a group starts before or after this, not during.
        var run = running == null ? null : tx.select(PREPARATION_RUN.ID, PREPARATION_RUN.MODE, PREPARATION_RUN.TO_VERSION)
                .from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(running), PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING)).forUpdate().fetchOne();
        String target = module != null ? "module " + module : "application " + application;
        if (run == null) {
            throw ModprepException.refused("Prioritising " + target + " was refused: no preparation run is in progress "
                    + "(prioritising holds for the run in progress only).");
        }
        long runId = run.value1();
        if (run.value2() == PreparationMode.SEQUENTIAL) {
            throw ModprepException.refused("Prioritising " + target + " was refused: run #" + runId + " is sequential, which locks "
                    + "every module until the whole run ends, so no order makes any module publishable sooner.");
        }
        var targets = targets(module, application, target);
        var snapshot = EnvironmentSnapshot.load(tx, PlatformVersion.parseOrNull(run.value3()));
        var graph = snapshot.publishedGraph();
        // Groups done or in progress stay as they are; the first group not started (and every later one) is planned again.
        Integer firstOpen = tx.select(org.jooq.impl.DSL.min(RUN_GROUP.SEQ)).from(RUN_GROUP)
                .where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.STATUS.eq(GroupStatus.PENDING)).fetchOne(0, Integer.class);
        var rows = tx.select(RUN_MODULE.MODULE_NAME, RUN_MODULE.GROUP_SEQ, RUN_MODULE.STATUS).from(RUN_MODULE)
                .where(RUN_MODULE.RUN_ID.eq(runId)).orderBy(RUN_MODULE.GROUP_SEQ, RUN_MODULE.POSITION).fetch();
        var open = new ArrayList<String>();
        var where = new LinkedHashMap<String, String>();
        for (var r : rows) {
            boolean movable = firstOpen != null && r.value2() >= firstOpen && r.value3() == ModuleStatus.PENDING;
            if (movable) {
                open.add(r.value1());
            }
            where.put(r.value1(), movable ? null : r.value3() == ModuleStatus.PENDING || r.value3() == ModuleStatus.PREPARING
                    ? "in group " + r.value2() + ", which is being prepared now" : r.value3() == ModuleStatus.PREPARED
                    ? "prepared already" : r.value3().code() + " in group " + r.value2());
        }
        var openSet = new HashSet<>(open);
        // What must come first: the targets and their producers, transitively, that still wait in the groups not started.
        var first = new HashSet<String>();
        targets.stream().filter(openSet::contains).forEach(first::add);
        graph.transitiveProducers(targets.stream().filter(graph::contains).toList()).stream().filter(openSet::contains).forEach(first::add);
        if (first.isEmpty()) {
            var reasons = new ArrayList<String>();
            targets.stream().limit(5).forEach(t -> reasons.add(t + " (" + (where.containsKey(t) ? where.get(t) : "not in run #" + runId) + ")"));
            throw ModprepException.refused("Prioritising " + target + " was refused: nothing of it waits in the groups not started "
                    + "of run #" + runId + ", so there is nothing to move: " + String.join(", ", reasons)
                    + (targets.size() > 5 ? " and " + (targets.size() - 5) + " more" : "") + ". Nothing was changed.");
        }
        // The planner's own rule over the open units, the prioritised ones first whenever they are ready.
        var units = new ArrayList<List<String>>();
        var seen = new HashSet<String>();
        for (String m : open) {
            if (seen.add(m)) {
                var unit = graph.contains(m) ? graph.unitOf(m).stream().filter(openSet::contains).toList() : List.of(m);
                seen.addAll(unit);
                units.add(unit);
            }
        }
        Comparator<List<String>> order = Comparator.comparing((List<String> u) -> !first.contains(u.get(0)))
                .thenComparing(Planner.mostReferencedFirst(graph));
        var groups = Planner.group(graph, units, groupSize, order);
        int groupCount = replan(runId, firstOpen, groups);
        new EnvironmentRepository(tx).bumpRevision();
        int firstGroup = Integer.MAX_VALUE;
        int lastGroup = 0;
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).stream().anyMatch(first::contains)) {
                firstGroup = Math.min(firstGroup, firstOpen + g);
                lastGroup = Math.max(lastGroup, firstOpen + g);
            }
        }
        var moved = open.stream().filter(first::contains).toList();
        tx.insertInto(RUN_PRIORITY).set(RUN_PRIORITY.RUN_ID, runId).set(RUN_PRIORITY.MODULE_NAME, module)
                .set(RUN_PRIORITY.APPLICATION_NAME, application).set(RUN_PRIORITY.MOVED, moved.size())
                .set(RUN_PRIORITY.FIRST_GROUP, firstGroup).set(RUN_PRIORITY.LAST_GROUP, lastGroup)
                .set(RUN_PRIORITY.ASKED_BY, actor).set(RUN_PRIORITY.ASKED_AT, now).execute();
        return new Moved(runId, target, moved, firstGroup, lastGroup, groupCount);
    }

    /** The module, or the application's modules; not found when there is no such one. */
    private Set<String> targets(String module, String application, String target) {
        var names = module != null
                ? tx.select(MODULE.NAME).from(MODULE).where(MODULE.NAME.eq(module)).fetchSet(MODULE.NAME)
                : tx.select(MODULE.NAME).from(MODULE).join(APPLICATION).on(APPLICATION.ID.eq(MODULE.APPLICATION_ID))
                .where(APPLICATION.NAME.eq(application)).fetchSet(MODULE.NAME);
        if (names.isEmpty()) {
            throw ModprepException.notFound("no " + (module != null ? "module named " + Names.abbreviate(module)
                    : "application named " + Names.abbreviate(application)) + ": nothing to prioritise");
        }
        return names;
    }

    /** Rewrites the groups from {@code firstOpen} on: their rows, their steps, the modules' places, the run's group count. */
    private int replan(long runId, int firstOpen, List<List<String>> groups) {
        tx.deleteFrom(RUN_GROUP).where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.SEQ.ge(firstOpen)).execute(); // steps go with them
        var groupRows = tx.batch(tx.insertInto(RUN_GROUP, RUN_GROUP.RUN_ID, RUN_GROUP.SEQ, RUN_GROUP.STATUS).values((Long) null, null, null));
        var steps = tx.batch(tx.insertInto(GROUP_STEP, GROUP_STEP.RUN_ID, GROUP_STEP.GROUP_SEQ, GROUP_STEP.ORDINAL, GROUP_STEP.NAME)
                .values((Long) null, null, null, null));
        var places = tx.batch(tx.update(RUN_MODULE).set(RUN_MODULE.GROUP_SEQ, (Integer) null).set(RUN_MODULE.POSITION, (Integer) null)
                .where(RUN_MODULE.RUN_ID.eq((Long) null), RUN_MODULE.MODULE_NAME.eq((String) null)));
        // Modules of those groups that are not pending (blocked by a failure meanwhile) keep a place: after the new groups' own.
        var stay = tx.select(RUN_MODULE.MODULE_NAME).from(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(runId), RUN_MODULE.GROUP_SEQ.ge(firstOpen),
                RUN_MODULE.STATUS.ne(ModuleStatus.PENDING)).orderBy(RUN_MODULE.GROUP_SEQ, RUN_MODULE.POSITION).fetch(RUN_MODULE.MODULE_NAME);
        int last = firstOpen + Math.max(groups.size(), 1) - 1;
        for (int g = 0; g < Math.max(groups.size(), 1); g++) {
            int seq = firstOpen + g;
            groupRows.bind(runId, seq, GroupStatus.PENDING);
            for (var step : GroupStep.ORDER) {
                steps.bind(runId, seq, step.ordinal1(), step.label());
            }
            var names = g < groups.size() ? groups.get(g) : List.<String>of();
            for (int p = 0; p < names.size(); p++) {
                places.bind(seq, p + 1, runId, names.get(p));
            }
        }
        for (int p = 0; p < stay.size(); p++) {
            places.bind(last, 1_000_000 + p, runId, stay.get(p));
        }
        groupRows.execute();
        steps.execute();
        if (places.size() > 0) {
            places.execute();
        }
        tx.update(PREPARATION_RUN).set(PREPARATION_RUN.GROUP_COUNT, last).where(PREPARATION_RUN.ID.eq(runId)).execute();
        return last;
    }
}
