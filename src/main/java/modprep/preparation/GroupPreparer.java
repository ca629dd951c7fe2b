package modprep.preparation;

import static modprep.db.schema.Tables.MODULE;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import modprep.environment.Compilations;
import modprep.environment.EnvironmentRepository;
import modprep.environment.EnvironmentSnapshot;
import modprep.logging.LogFields;
import modprep.platform.CompileUnit;
import modprep.platform.JavaSourceCompiler;
import modprep.platform.SourceFile;
import modprep.status.BuildOrigin;
import modprep.status.ModuleStatus;
import modprep.status.PreparationMode;

/**
 * Prepares one group of a run through its visible steps (P13): lock its modules (P7), update their
 * references to their producers' compilations for the new version, compile them (P3), save the
 * compilations, unlock. Compiled jars are stored before the save, by their inputs, so a group redone
 * after a crash (P12) finds them and compiles nothing twice.
 */
final class GroupPreparer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GroupPreparer.class);
    private final Compilations compilations;
    private final Leases leases;
    private final Clock clock;

    GroupPreparer(Compilations compilations, Leases leases, Clock clock) {
        this.compilations = compilations;
        this.leases = leases;
        this.clock = clock;
    }

    /** The run a worker works on, with the environment as it knows it. */
    static final class RunState {
        final RunRepository.Run run;
        EnvironmentSnapshot snapshot;
        /** Compiles the run's modules ahead of their groups, when the worker started it. */
        CompileAhead ahead;
        /** Whether this worker has started a group of the run yet: its first resumes the run if another started it (I1). */
        boolean startedOne;

        RunState(RunRepository.Run run) {
            this.run = run;
        }
    }

    /** Prepares the group; returns false when stopping interrupted it (it will be redone). */
    boolean prepare(RunState state, int seq, BooleanSupplier stopping) {
        long started = System.nanoTime();
        var group = new GroupWork(seq);
        var names = compilations.database().transaction(tx -> lockModules(tx, state, seq));
        if (stopping.getAsBoolean()) {
            return false;
        }
        refreshSnapshot(state);
        group.updateReferences(state.snapshot, names);
        group.compileStarted = step(state.run.id(), seq, GroupStep.UPDATE_REFERENCES, GroupStep.COMPILE);
        if (stopping.getAsBoolean()) {
            return false;
        }
        compile(state, group, stopping);
        if (stopping.getAsBoolean()) {
            return false;
        }
        var superseded = compilations.database().transaction(tx -> saveAndUnlock(tx, state, group));
        var saved = new HashMap<String, EnvironmentSnapshot.Build>();
        group.outcomes.forEach((m, o) -> {
            if (o.status() == ModuleStatus.PREPARED && o.newBuild() && !superseded.contains(m)) {
                saved.put(m, new EnvironmentSnapshot.Build(state.snapshot.module(m).publishedCodeId(), o.inputs(), o.jar(), BuildOrigin.PREPARED));
            }
        });
        state.snapshot.putBuilds(saved);
        io.micrometer.core.instrument.Timer.builder("modprep.group").description("Groups this process prepared, from lock to unlock")
                .publishPercentileHistogram().register(compilations.meters()).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        logOutcomes(group);
        return true;
    }

    /** What became of each module, at debug level, on lines that name it (the worker names the run and group). */
    private static void logOutcomes(GroupWork group) {
        if (LOG.isDebugEnabled()) {
            group.outcomes.forEach((m, o) -> {
                try (var module = LogFields.put(LogFields.MODULE, m)) {
                    LOG.debug("{} ({} ms)", o.status().code(), o.millis());
                }
            });
        }
    }

    /**
     * Step 3: the compilation of each unit's inputs, from the cache (filled ahead, or by an earlier
     * attempt at this group), or compiled now.
     */
    private void compile(RunState state, GroupWork group, BooleanSupplier stopping) {
        var ahead = state.ahead;
        if (ahead != null) {
            ahead.await(group.inputs.values(), stopping);
        }
        var dsl = compilations.database().dsl();
        var cached = compilations.cachedJars(dsl, group.inputs.values());
        var misses = new ArrayList<List<String>>();
        for (var unit : group.units) {
            if (unit.stream().allMatch(m -> cached.containsKey(group.inputs.get(m)))) {
                unit.forEach(m -> {
                    String in = group.inputs.get(m);
                    Long millis = ahead == null ? null : ahead.millis(in);
                    group.outcomes.put(m, GroupWork.Outcome.prepared(in, cached.get(in), true, millis == null ? 0 : millis));
                });
            } else if (ahead != null && unit.stream().allMatch(m -> ahead.failure(group.inputs.get(m)) != null)) {
                unit.forEach(m -> group.outcomes.put(m, GroupWork.outcomeOf(ahead.failure(group.inputs.get(m)), 0)));
            } else {
                misses.add(unit);
            }
        }
        var snapshot = state.snapshot;
        var sources = compilations.sources(dsl, misses.stream().flatMap(List::stream)
                .map(m -> snapshot.module(m).publishedSourcesSha256()).distinct().toList());
        var compiled = compilations.compile(state.run.to(), misses.stream().map(unit -> compileUnit(snapshot, unit, sources)).toList());
        group.compileFinished = compilations.database().transaction(tx -> {
            leases.renew(tx, state.run.id());
            compiled.outcomes().forEach((m, outcome) -> {
                long ms = compiled.taskMillis().getOrDefault(m, 0L);
                String in = group.inputs.get(m);
                group.outcomes.put(m, outcome.succeeded()
                        ? GroupWork.Outcome.prepared(in, compilations.store(tx, in, outcome.classes()), true, ms) : GroupWork.outcomeOf(outcome, ms));
            });
            var now = OffsetDateTime.now(clock);
            stepAt(new RunRepository(tx), state.run.id(), group.seq, GroupStep.COMPILE, GroupStep.SAVE_COMPILATIONS, now);
            return now;
        });
    }

    /**
     * Steps 4 and 5, committed together: the compilations are saved, the consumers of failures blocked
     * (P10), the group unlocked. Returns the modules whose compilation was superseded by a publish.
     */
    private Set<String> saveAndUnlock(org.jooq.DSLContext tx, RunState state, GroupWork group) {
        long runId = state.run.id();
        leases.renew(tx, runId);
        var snapshot = state.snapshot;
        var runs = new RunRepository(tx);
        var results = new ArrayList<RunRepository.ModuleResult>();
        var builds = new ArrayList<EnvironmentRepository.BuildRow>();
        var roots = new LinkedHashMap<String, Set<String>>();
        var superseded = new java.util.HashSet<String>();
        // A publish that checked the lock just before this group took it may have committed since the
        // snapshot: that module keeps its publish's compilation, not one of code it no longer runs.
        var runsCode = tx.select(MODULE.NAME, MODULE.PUBLISHED_CODE_ID).from(MODULE)
                .where(MODULE.NAME.in(group.outcomes.keySet())).forUpdate().fetchMap(MODULE.NAME, MODULE.PUBLISHED_CODE_ID);
        group.outcomes.forEach((m, o) -> {
            var module = snapshot.module(m);
            if (o.status() == ModuleStatus.PREPARED && o.newBuild()) {
                if (!java.util.Objects.equals(runsCode.get(m), module.publishedCodeId())) {
                    superseded.add(m);
                } else {
                    builds.add(new EnvironmentRepository.BuildRow(module.id(), module.publishedCodeId(), o.inputs(), o.jar()));
                }
            }
            if (o.status() == ModuleStatus.FAILED) {
                roots.put(m, Set.of(m));
            } else if (o.status() == ModuleStatus.BLOCKED) {
                roots.put(m, o.blockedBy());
            }
            results.add(new RunRepository.ModuleResult(m, o.status(), group.compileStarted, group.compileFinished, o.millis(),
                    o.diagnostics(), o.blockedBy().isEmpty() ? null : String.join(", ", o.blockedBy())));
        });
        new EnvironmentRepository(tx).saveBuilds(builds, state.run.to(), BuildOrigin.PREPARED, runId, group.compileFinished);
        runs.saveGroup(runId, results, GroupWork.blockedConsumers(snapshot, roots), group.compileFinished);
        stepAt(runs, runId, group.seq, GroupStep.SAVE_COMPILATIONS, GroupStep.UNLOCK, OffsetDateTime.now(clock));
        if (state.run.mode() == PreparationMode.PROGRESSIVE) {
            runs.unlockGroup(runId, group.seq);
        }
        var unlocked = OffsetDateTime.now(clock);
        runs.stepFinished(runId, group.seq, GroupStep.UNLOCK, unlocked);
        runs.finishGroup(runId, group.seq, unlocked);
        return superseded;
    }

    /** Step 1: marks the group in progress, locks its modules (progressive; sequential runs locked all at start). */
    private List<String> lockModules(org.jooq.DSLContext tx, RunState state, int seq) {
        long runId = state.run.id();
        leases.renew(tx, runId);
        var runs = new RunRepository(tx);
        var now = OffsetDateTime.now(clock);
        runs.startGroup(runId, seq, now, !state.startedOne && runs.anyGroupStarted(runId));
        state.startedOne = true;
        var names = new ArrayList<String>();
        var ids = new ArrayList<Long>();
        for (var module : runs.groupModules(runId, seq)) {
            if (module.moduleId() == null) {
                runs.forget(runId, module.name()); // deleted since the run was planned
                runs.refreshCounts(runId);
            } else if (module.status() == ModuleStatus.PENDING || module.status() == ModuleStatus.PREPARING) {
                names.add(module.name());
                ids.add(module.moduleId());
            }
        }
        if (state.run.mode() == PreparationMode.PROGRESSIVE) {
            runs.lock(runId, seq, ids, now);
        }
        runs.setStatus(runId, names, ModuleStatus.PENDING, ModuleStatus.PREPARING);
        stepAt(runs, runId, seq, GroupStep.LOCK_MODULES, GroupStep.UPDATE_REFERENCES, OffsetDateTime.now(clock));
        return names;
    }

    private CompileUnit compileUnit(EnvironmentSnapshot snapshot, List<String> unit, Map<String, List<SourceFile>> sources) {
        var graph = snapshot.publishedGraph();
        var classPath = compilations.classPath(snapshot.version(), graph.externalProducers(unit), graph, unit,
                p -> snapshot.build(p).jarSha256());
        return new CompileUnit(unit.stream().map(m -> new JavaSourceCompiler.ModuleSources(m,
                sources.get(snapshot.module(m).publishedSourcesSha256()))).toList(), classPath);
    }

    /** Ends one step and starts the next, renewing the lease; returns the time it did so. */
    private OffsetDateTime step(long runId, int seq, GroupStep finished, GroupStep next) {
        return compilations.database().transaction(tx -> {
            leases.renew(tx, runId);
            var now = OffsetDateTime.now(clock);
            stepAt(new RunRepository(tx), runId, seq, finished, next, now);
            return now;
        });
    }

    private static void stepAt(RunRepository runs, long runId, int seq, GroupStep finished, GroupStep next, OffsetDateTime now) {
        runs.stepToStep(runId, seq, finished, next, now);
    }

    private void refreshSnapshot(RunState state) {
        var dsl = compilations.database().dsl();
        if (state.snapshot == null || state.snapshot.revision() != EnvironmentSnapshot.revision(dsl)) {
            state.snapshot = EnvironmentSnapshot.load(dsl, state.run.to());
        }
    }
}
