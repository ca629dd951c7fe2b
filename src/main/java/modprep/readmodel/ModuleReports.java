package modprep.readmodel;

import static modprep.db.schema.Tables.APPLICATION;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_CODE;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import modprep.ModprepException;
import modprep.environment.EnvironmentRepository;
import modprep.environment.EnvironmentSnapshot;
import modprep.environment.Names;
import modprep.environment.PreparationView;
import modprep.environment.PublishState;
import modprep.preparation.PreparationViewRepository;
import modprep.status.ModuleStatus;
import modprep.status.VersionStatus;
import org.jooq.DSLContext;
import org.jooq.Records;

/** Builds {@link ModuleReport}s: a module's status for the current version, from the snapshot and the runs. */
public record ModuleReports(DSLContext dsl) {

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
    public ModuleReport report(String name, EnvironmentSnapshot snapshot, Map<String, VersionStatus> known) {
        var module = snapshot.module(name);
        if (module == null) {
            throw ModprepException.notFound("no module named " + Names.abbreviate(name));
        }
        record Row(long id, String application, java.time.OffsetDateTime publishedAt, String publishedBy, String runningVersion,
                   Long latestCodeId, Long publishedCodeId) {
        }
        var row = dsl.select(MODULE.ID, APPLICATION.NAME, MODULE.PUBLISHED_AT, MODULE.PUBLISHED_BY, MODULE.RUNNING_VERSION,
                        MODULE.LATEST_CODE_ID, MODULE.PUBLISHED_CODE_ID)
                .from(MODULE).join(APPLICATION).on(APPLICATION.ID.eq(MODULE.APPLICATION_ID))
                .where(MODULE.NAME.eq(name)).fetchOptional(Records.mapping(Row::new))
                .orElseThrow(() -> ModprepException.notFound("no module named " + Names.abbreviate(name)));
        var seqs = dsl.select(MODULE_CODE.ID, MODULE_CODE.SEQ).from(MODULE_CODE).where(MODULE_CODE.MODULE_ID.eq(row.id()))
                .fetchMap(MODULE_CODE.ID, MODULE_CODE.SEQ);
        var graph = snapshot.publishedGraph();
        var producers = module.published() ? module.publishedProducers() : List.<String>of();
        var consumers = graph.contains(name) ? graph.consumersOf(name) : List.<String>of();
        var neighbours = new ArrayList<String>(producers);
        neighbours.addAll(consumers);
        neighbours.add(name);
        var statuses = known != null && known.keySet().containsAll(neighbours) ? known : statuses(snapshot, neighbours);
        var lock = dsl.select(MODULE_LOCK.RUN_ID, MODULE_LOCK.GROUP_SEQ, PREPARATION_RUN.MODE).from(MODULE_LOCK)
                .join(PREPARATION_RUN).on(PREPARATION_RUN.ID.eq(MODULE_LOCK.RUN_ID))
                .where(MODULE_LOCK.MODULE_ID.eq(row.id()))
                .fetchOptional(Records.mapping(ModuleReport.Lock::new)).orElse(null);
        return new ModuleReport(name, row.application(), PublishState.of(module.published()),
                seqs.getOrDefault(row.latestCodeId(), 0), row.publishedCodeId() == null ? null : seqs.get(row.publishedCodeId()),
                row.runningVersion() == null ? null
                        : new ModuleReport.Running(row.runningVersion(), RunQueries.instant(row.publishedAt()), row.publishedBy()),
                statuses.get(name),
                producers.stream().map(p -> neighbour(p, statuses)).toList(),
                consumers.stream().map(c -> neighbour(c, statuses)).toList(),
                new EnvironmentRepository(dsl).configuration(row.id()), lock);
    }

    private static ModuleReport.Neighbour neighbour(String name, Map<String, VersionStatus> statuses) {
        var status = statuses.get(name);
        return new ModuleReport.Neighbour(name, status.code(), status.text());
    }

    /** Each named module's status for the snapshot's version, from the latest run for that version. */
    public Map<String, VersionStatus> statuses(EnvironmentSnapshot snapshot, Collection<String> names) {
        var run = new PreparationViewRepository().latestRun(dsl, snapshot.version(), names);
        return statuses(snapshot, names, run, snapshot::isCurrent);
    }

    /** Statuses from a run already read and a view of which modules are current (see environment's Currentness). */
    static Map<String, VersionStatus> statuses(EnvironmentSnapshot snapshot, Collection<String> names, PreparationView.LatestRun run,
                                              Predicate<String> current) {
        var statuses = new HashMap<String, VersionStatus>(names.size() * 2);
        names.forEach(n -> statuses.put(n, status(snapshot, n, run, current.test(n))));
        return statuses;
    }

    /** One module's status: the one rule, {@link ModuleStatus#of}. */
    static VersionStatus status(EnvironmentSnapshot snapshot, String name, PreparationView.LatestRun run, boolean current) {
        return ModuleStatus.of(snapshot.version().toString(), snapshot.module(name).facts(), current, run.inProgress(),
                run.entries().get(name));
    }
}
