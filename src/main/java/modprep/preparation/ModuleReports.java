package modprep.preparation;

import static modprep.db.schema.Tables.APPLICATION;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_CODE;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_MODULE;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import modprep.ModprepException;
import modprep.environment.EnvironmentRepository;
import modprep.environment.EnvironmentSnapshot;
import modprep.environment.Names;
import modprep.platform.PlatformVersion;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Builds {@link ModuleReport}s: a module's status for the current version, from the snapshot and the runs. */
public record ModuleReports(DSLContext dsl) {

    /** A module's place in the latest run for the version. */
    record InRun(long runId, boolean running, String status, int group, int groupCount, String diagnostics,
                 String blockedBy) {
    }

    /** The latest run for a version: its number, whether it is running, its number of groups (null run: none yet). */
    record LatestRun(Long id, boolean running, int groupCount) {
        static final LatestRun NONE = new LatestRun(null, false, 0);
    }

    /** Above this many modules, a run's rows are read whole rather than by an IN list of names. */
    private static final int NAMES_IN_LIST = 200;

    public ModuleReport report(String name) {
        var version = new EnvironmentRepository(dsl).settings().version();
        return report(name, EnvironmentSnapshot.load(dsl, version));
    }

    /** The report from a snapshot already read. */
    public ModuleReport report(String name, EnvironmentSnapshot snapshot) {
        return report(name, snapshot, null);
    }

    /**
     * The report from a snapshot and statuses already read together (the console's {@link StatusBoard}):
     * the module's and its neighbours' statuses are taken from them, so a module with a thousand consumers
     * costs four small queries, not a thousand rows. With null statuses, they are read here.
     */
    public ModuleReport report(String name, EnvironmentSnapshot snapshot, Map<String, ModuleReport.Status> known) {
        var version = snapshot.version();
        var module = snapshot.module(name);
        if (module == null) {
            throw ModprepException.notFound("no module named " + Names.abbreviate(name));
        }
        var row = dsl.select(MODULE.ID, APPLICATION.NAME, MODULE.PUBLISHED_AT, MODULE.PUBLISHED_BY, MODULE.RUNNING_VERSION,
                        MODULE.LATEST_CODE_ID, MODULE.PUBLISHED_CODE_ID)
                .from(MODULE).join(APPLICATION).on(APPLICATION.ID.eq(MODULE.APPLICATION_ID))
                .where(MODULE.NAME.eq(name)).fetchOne();
        if (row == null) {
            throw ModprepException.notFound("no module named " + Names.abbreviate(name));
        }
        var seqs = dsl.select(MODULE_CODE.ID, MODULE_CODE.SEQ).from(MODULE_CODE).where(MODULE_CODE.MODULE_ID.eq(row.value1()))
                .fetchMap(MODULE_CODE.ID, MODULE_CODE.SEQ);
        var graph = snapshot.publishedGraph();
        var producers = module.published() ? module.publishedProducers() : List.<String>of();
        var consumers = graph.contains(name) ? graph.consumersOf(name) : List.<String>of();
        var neighbours = new ArrayList<String>(producers);
        neighbours.addAll(consumers);
        neighbours.add(name);
        var statuses = known != null && known.keySet().containsAll(neighbours) ? known : statuses(snapshot, version, neighbours);
        var lock = dsl.select(MODULE_LOCK.RUN_ID, MODULE_LOCK.GROUP_SEQ, PREPARATION_RUN.MODE).from(MODULE_LOCK)
                .join(PREPARATION_RUN).on(PREPARATION_RUN.ID.eq(MODULE_LOCK.RUN_ID))
                .where(MODULE_LOCK.MODULE_ID.eq(row.value1()))
                .fetchOptional(r -> new ModuleReport.Lock(r.value1(), r.value2(), r.value3())).orElse(null);
        return new ModuleReport(name, row.value2(), module.published() ? "published" : "uploaded",
                seqs.getOrDefault(row.value6(), 0), row.value7() == null ? null : seqs.get(row.value7()),
                row.value5() == null ? null : new ModuleReport.Running(row.value5(), RunQueries.instant(row.value3()), row.value4()),
                statuses.get(name),
                producers.stream().map(p -> neighbour(p, statuses)).toList(),
                consumers.stream().map(c -> neighbour(c, statuses)).toList(),
                new EnvironmentRepository(dsl).configuration(row.value1()), lock);
    }

    private static ModuleReport.Neighbour neighbour(String name, Map<String, ModuleReport.Status> statuses) {
        var status = statuses.get(name);
        return new ModuleReport.Neighbour(name, status.code(), status.text());
    }

    /** Each module's status for the version, from the snapshot and the latest run for that version. */
    public Map<String, ModuleReport.Status> statuses(EnvironmentSnapshot snapshot, PlatformVersion version,
                                                     Collection<String> names) {
        var latest = latestRun(version);
        var inRun = inRun(latest, names);
        return statuses(snapshot, version, names, inRun, snapshot::isCurrent);
    }

    /** Statuses from run rows already read and a view of which modules are current (see {@link EnvironmentSnapshot#isCurrent}). */
    static Map<String, ModuleReport.Status> statuses(EnvironmentSnapshot snapshot, PlatformVersion version, Collection<String> names,
                                                     Map<String, InRun> inRun, Predicate<String> current) {
        var statuses = new HashMap<String, ModuleReport.Status>(names.size() * 2);
        names.forEach(n -> statuses.put(n, status(snapshot, version, n, inRun.get(n), current.test(n))));
        return statuses;
    }

    /** The latest run for the version. */
    LatestRun latestRun(PlatformVersion version) {
        var latest = dsl.select(PREPARATION_RUN.ID, PREPARATION_RUN.STATUS, PREPARATION_RUN.GROUP_COUNT).from(PREPARATION_RUN)
                .where(PREPARATION_RUN.TO_VERSION.eq(version.toString())).orderBy(PREPARATION_RUN.ID.desc()).limit(1).fetchOne();
        return latest == null ? LatestRun.NONE : new LatestRun(latest.value1(), latest.value2().equals(RunStatus.RUNNING.id()), latest.value3());
    }

    /**
     * The rows of the named modules in the run (null names: every row of the run; a long list of names is
     * read as the whole run and filtered here, never as an IN list of thousands of values).
     */
    Map<String, InRun> inRun(LatestRun latest, Collection<String> names) {
        if (latest.id() == null) {
            return new HashMap<>();
        }
        boolean whole = names == null || names.size() > NAMES_IN_LIST;
        var rows = rows(latest, whole ? DSL.noCondition() : RUN_MODULE.MODULE_NAME.in(names));
        if (whole && names != null) {
            rows.keySet().retainAll(names instanceof Set<String> set ? set : new HashSet<>(names));
        }
        return rows;
    }

    /** The run's rows that meet a condition, by module name. */
    Map<String, InRun> rows(LatestRun latest, Condition condition) {
        var rows = new HashMap<String, InRun>();
        dsl.select(RUN_MODULE.MODULE_NAME, RUN_MODULE.STATUS, RUN_MODULE.GROUP_SEQ, RUN_MODULE.DIAGNOSTICS, RUN_MODULE.BLOCKED_BY)
                .from(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(latest.id()), condition)
                .forEach(r -> rows.put(r.value1(), inRun(latest, r.value2(), r.value3(), r.value4(), r.value5())));
        return rows;
    }

    private static InRun inRun(LatestRun latest, String status, int group, String diagnostics, String blockedBy) {
        return new InRun(latest.id(), latest.running(), status, group, latest.groupCount(), diagnostics, blockedBy);
    }

    /** @param current whether the module is prepared (or published) for the version, as {@link EnvironmentSnapshot#isCurrent} says */
    static ModuleReport.Status status(EnvironmentSnapshot snapshot, PlatformVersion version, String name, InRun run, boolean current) {
        var module = snapshot.module(name);
        String v = version.toString();
        if (module == null) {
            return new ModuleReport.Status("not-prepared", v, "Deleted.", null, null, null, null);
        }
        if (!module.published()) {
            return new ModuleReport.Status("uploaded", v, "Only uploaded, never published: there is nothing to prepare. "
                    + "Publish it to run it on " + v + ".", null, null, null, null);
        }
        if (current && v.equals(module.runningVersion())) {
            return new ModuleReport.Status("running", v, "Running on " + v + ".", null, null, null, null);
        }
        if (current) {
            return new ModuleReport.Status("prepared", v, "Prepared for " + v + ": publish it to use it. It still runs "
                    + "its compilation for " + module.runningVersion() + ".", run == null ? null : run.runId(), null, null, null);
        }
        if (run != null && run.running() && run.status().equals("pending")) {
            return new ModuleReport.Status("pending", v, "Not yet prepared for " + v + ": waiting in group " + run.group()
                    + " of " + run.groupCount() + " of preparation run #" + run.runId() + ".", run.runId(), run.group(), null, null);
        }
        if (run != null && run.running() && run.status().equals("preparing")) {
            return new ModuleReport.Status("preparing", v, "Being prepared for " + v + " now, in group " + run.group()
                    + " of preparation run #" + run.runId() + ".", run.runId(), run.group(), null, null);
        }
        if (run != null && run.status().equals("failed")) {
            return new ModuleReport.Status("failed", v, "Failed to prepare for " + v + " in run #" + run.runId()
                    + ": fix its code, upload and publish it, or run Prepare again.", run.runId(), run.group(), run.diagnostics(), null);
        }
        if (run != null && run.status().equals("blocked")) {
            return new ModuleReport.Status("blocked", v, "Blocked by " + run.blockedBy() + ", which failed to prepare for " + v
                    + " in run #" + run.runId() + ": once it is fixed and published, run Prepare.", run.runId(), run.group(), null,
                    run.blockedBy());
        }
        if (module.publishRequired()) {
            return new ModuleReport.Status("publish-required", v, "Publish required: the upgrade to " + v
                    + " has no modules preparation, so this module must be published to run on " + v + ".", null, null, null, null);
        }
        return new ModuleReport.Status("not-prepared", v, "Not prepared for " + v + ": it was not upgraded to the current "
                + "version. Publishing it, or running Prepare, fixes that.", null, null, null, null);
    }
}
