package modprep.environment;

import static modprep.db.schema.Tables.CODE_REFERENCE;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_CODE;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import modprep.ModprepException;
import modprep.platform.ClassFiles;
import modprep.platform.CompileDiagnostic;
import modprep.platform.CompileUnit;
import modprep.platform.JavaSourceCompiler;
import modprep.platform.ModuleOutcome;
import modprep.status.BuildOrigin;
import org.jooq.DSLContext;
import org.jooq.Records;

/**
 * Publish: compiles each module's latest code with the current platform version, against its
 * producers' compilations for that version (made by the preparation, P9), and deploys it. Refused, with
 * nothing changed, while a module is locked (P7) or a producer is not prepared (P8).
 */
public final class Publisher {
    private final Compilations compilations;
    private final Clock clock;
    private final PreparationView preparation;

    public Publisher(Compilations compilations, Clock clock, PreparationView preparation) {
        this.compilations = compilations;
        this.clock = clock;
        this.preparation = preparation;
    }

    public enum Status { PUBLISHED, FAILED, NOT_PUBLISHED }

    /** One module's outcome: published, failed to compile (with javac's errors), or not published and why. */
    public record Result(String module, Status status, String detail, List<CompileDiagnostic> errors, String jarSha256) {
        Result(String module, Status status, String detail, List<CompileDiagnostic> errors) {
            this(module, status, detail, errors, null);
        }
    }

    public record Report(String version, List<Result> results) {
        public boolean allPublished() {
            return results.stream().allMatch(r -> r.status() == Status.PUBLISHED);
        }
    }

    /** The latest code of a module, as publish compiles it. */
    private record Target(long id, String name, long codeId, String sourcesSha, List<String> references, int rowVersion) {
    }

    public Report publish(Collection<String> names, String actor) {
        if (names.isEmpty()) {
            throw ModprepException.badInput("name at least one module to publish, or publish all");
        }
        return publishTargets(new TreeSet<>(names), actor);
    }

    /** Publishes every module (P5's recommendation, and after an upgrade below 11.12.0). */
    public Report publishAll(String actor) {
        var names = compilations.database().dsl().select(MODULE.NAME).from(MODULE).fetch(MODULE.NAME);
        if (names.isEmpty()) {
            throw ModprepException.refused("there is no module to publish");
        }
        return publishTargets(new TreeSet<>(names), actor);
    }

    private Report publishTargets(TreeSet<String> names, String actor) {
        var dsl = compilations.database().dsl();
        var version = new EnvironmentRepository(dsl).settings().version();
        var now = OffsetDateTime.now(clock);
        var targets = loadTargets(dsl, names);
        var guard = new ModuleGuard(dsl, preparation);
        guard.refuseIfLocked(ModuleGuard.Operation.PUBLISH, names, actor, now);

        var snapshot = EnvironmentSnapshot.load(dsl, version);
        for (var target : targets.values()) {
            var notReady = ModuleGuard.unprepared(target.references().stream().filter(p -> !targets.containsKey(p)).toList(),
                    snapshot::isCurrent);
            if (!notReady.isEmpty()) {
                throw ModuleGuard.notReady(target.name(), version, guard.whyNotPrepared(notReady, version, snapshot));
            }
        }

        // References as they will be: the targets' latest code, everyone else's published code.
        var producers = new LinkedHashMap<String, List<String>>();
        snapshot.publishedGraph().modules().forEach(m -> producers.put(m, snapshot.module(m).publishedProducers()));
        targets.values().forEach(t -> producers.put(t.name(), t.references()));
        var graph = new ModuleGraph(producers);
        var targetGraph = new ModuleGraph(restrict(producers, targets.keySet()));

        var results = new LinkedHashMap<String, Result>();
        var newBuilds = new HashMap<String, BuildInputs.ProducerBuild>();
        for (var level : EnvironmentImporter.levels(targetGraph)) {
            var toCompile = new ArrayList<CompileUnit>();
            var inputsByModule = new HashMap<String, String>();
            var blockedUnits = new ArrayList<List<String>>();
            for (var unit : level) {
                var external = graph.externalProducers(unit);
                var failedProducers = external.stream().filter(p -> targets.containsKey(p) && !newBuilds.containsKey(p)).toList();
                if (!failedProducers.isEmpty()) {
                    unit.forEach(m -> results.put(m, new Result(m, Status.NOT_PUBLISHED, "not published: it uses "
                            + String.join(", ", failedProducers) + ", whose publish failed", List.of())));
                    blockedUnits.add(unit);
                    continue;
                }
                var sources = new LinkedHashMap<String, String>();
                unit.forEach(m -> sources.put(m, targets.get(m).sourcesSha()));
                var producerBuilds = external.stream().map(p -> newBuilds.containsKey(p) ? newBuilds.get(p)
                        : snapshot.build(p).asProducer(p)).toList();
                inputsByModule.putAll(BuildInputs.of(version, sources, producerBuilds));
                var classPath = compilations.classPath(version, external, graph, unit, p ->
                        newBuilds.containsKey(p) ? newBuilds.get(p).jarSha256() : snapshot.build(p).jarSha256());
                toCompile.add(new CompileUnit(unit.stream().map(m -> new JavaSourceCompiler.ModuleSources(m,
                        compilations.sources(dsl, targets.get(m).sourcesSha()))).toList(), classPath));
            }
            var cached = compilations.cachedJars(dsl, inputsByModule.values());
            var misses = toCompile.stream().filter(u -> u.moduleNames().stream()
                    .anyMatch(m -> !cached.containsKey(inputsByModule.get(m)))).toList();
            Map<String, ModuleOutcome> outcomes = compilations.compile(version, misses).outcomes();
            for (var unit : level) {
                if (blockedUnits.contains(unit)) {
                    continue;
                }
                for (String m : unit) {
                    var outcome = outcomes.get(m);
                    String inputs = inputsByModule.get(m);
                    var result = outcome == null || outcome.succeeded()
                            ? save(targets.get(m), version, inputs, outcome == null ? null : outcome.classes(),
                                    cached.get(inputs), actor)
                            : new Result(m, Status.FAILED, outcome.errors().isEmpty()
                                    ? "does not compile: it is on a reference cycle with " + String.join(", ", outcome.blockedBy())
                                    : "does not compile with " + version, outcome.errors());
                    results.put(m, result);
                    if (result.status() == Status.PUBLISHED) {
                        newBuilds.put(m, new BuildInputs.ProducerBuild(m, result.jarSha256(), inputs));
                    }
                }
            }
        }
        var ordered = new ArrayList<Result>();
        names.forEach(n -> ordered.add(results.get(n)));
        return new Report(version.toString(), ordered);
    }

    /** Deploys one compiled module in its own transaction, unless it was locked or published meanwhile. */
    private Result save(Target target, modprep.platform.PlatformVersion version, String inputs, ClassFiles classes,
                        String cachedJar, String actor) {
        var now = OffsetDateTime.now(clock);
        try {
            String jar = compilations.database().transaction(tx -> {
                new ModuleGuard(tx, preparation).refuseIfLocked(ModuleGuard.Operation.PUBLISH, List.of(target.name()), actor, now);
                record Current(int rowVersion, String publishedBy, OffsetDateTime publishedAt) {
                }
                var current = tx.select(MODULE.ROW_VERSION, MODULE.PUBLISHED_BY, MODULE.PUBLISHED_AT).from(MODULE)
                        .where(MODULE.ID.eq(target.id())).forUpdate().fetchOptional(Records.mapping(Current::new))
                        .orElseThrow(() -> ModprepException.notFound("module " + target.name() + " was deleted meanwhile; nothing was changed"));
                if (current.rowVersion() != target.rowVersion()) {
                    throw ModprepException.refused("Publish of module " + target.name() + " was refused: it was published "
                            + "meanwhile by " + current.publishedBy() + " at " + current.publishedAt() + ". Nothing was changed; "
                            + "check the module and publish again if needed.");
                }
                String sha = classes != null ? compilations.store(tx, inputs, classes) : cachedJar;
                var repository = new EnvironmentRepository(tx);
                repository.markPublished(target.id(), target.codeId(), version, sha, now, actor);
                repository.saveBuilds(List.of(new EnvironmentRepository.BuildRow(target.id(), target.codeId(), inputs, sha)),
                        version, BuildOrigin.PUBLISHED, null, now);
                repository.bumpRevision();
                return sha;
            });
            return new Result(target.name(), Status.PUBLISHED, "published with " + version, List.of(), jar);
        } catch (ModprepException refused) {
            return new Result(target.name(), Status.NOT_PUBLISHED, refused.getMessage(), List.of());
        }
    }

    private static Map<String, Target> loadTargets(DSLContext dsl, Collection<String> names) {
        var targets = new LinkedHashMap<String, Target>();
        dsl.select(MODULE.ID, MODULE.NAME, MODULE.LATEST_CODE_ID, MODULE_CODE.SOURCES_SHA256, MODULE.ROW_VERSION)
                .from(MODULE).join(MODULE_CODE).on(MODULE_CODE.ID.eq(MODULE.LATEST_CODE_ID))
                .where(MODULE.NAME.in(names))
                .fetch(Records.mapping((id, name, codeId, sources, rowVersion) -> new Target(id, name, codeId, sources,
                        new ArrayList<>(), rowVersion)))
                .forEach(t -> targets.put(t.name(), t));
        var missing = names.stream().filter(n -> !targets.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw ModprepException.notFound("no module named " + String.join(", ", missing.stream().map(Names::abbreviate).toList()));
        }
        var producer = MODULE.as("producer");
        var byCode = new HashMap<Long, Target>();
        targets.values().forEach(t -> byCode.put(t.codeId(), t));
        dsl.select(CODE_REFERENCE.CODE_ID, producer.NAME).from(CODE_REFERENCE)
                .join(producer).on(producer.ID.eq(CODE_REFERENCE.PRODUCER_ID))
                .where(CODE_REFERENCE.CODE_ID.in(byCode.keySet()))
                .fetchGroups(CODE_REFERENCE.CODE_ID, producer.NAME)
                .forEach((codeId, producers) -> byCode.get(codeId).references().addAll(producers));
        return targets;
    }

    private static Map<String, List<String>> restrict(Map<String, List<String>> producers, java.util.Set<String> to) {
        var restricted = new LinkedHashMap<String, List<String>>();
        to.forEach(m -> restricted.put(m, producers.get(m)));
        return restricted;
    }
}
