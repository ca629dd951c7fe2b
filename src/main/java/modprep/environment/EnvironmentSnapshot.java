package modprep.environment;

import static modprep.db.schema.Tables.APPLICATION;
import static modprep.db.schema.Tables.CODE_REFERENCE;
import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.MODULE_CODE;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modprep.platform.PlatformVersion;
import modprep.status.BuildOrigin;
import modprep.status.ModuleStatus;
import org.jooq.DSLContext;
import org.jooq.Records;
import org.jooq.impl.DSL;

/**
 * The environment as one platform version sees it, read in a few queries: every module with the code
 * it runs, the graph of published modules, and each module's compilation for that version. Planning,
 * publishing checks and the worker all decide from it.
 */
public final class EnvironmentSnapshot {
    /** A module and the version of its code that is published (null when only uploaded). */
    public record ModuleState(long id, String name, String application, Long publishedCodeId,
                              String publishedSourcesSha256, List<String> publishedProducers,
                              String runningVersion, boolean publishRequired) {
        public boolean published() {
            return publishedCodeId != null;
        }

        /** What the status rule needs to know of it (see {@link ModuleStatus#of}). */
        public ModuleStatus.ModuleFacts facts() {
            return new ModuleStatus.ModuleFacts(published(), runningVersion, publishRequired);
        }
    }

    /** A module's compilation for the snapshot's version. */
    public record Build(long codeId, String inputsSha256, String jarSha256, BuildOrigin origin) {
        /** This compilation as a consumer's inputs name it. */
        public BuildInputs.ProducerBuild asProducer(String module) {
            return new BuildInputs.ProducerBuild(module, jarSha256, inputsSha256);
        }
    }

    private final PlatformVersion version;
    private final long revision;
    private final Map<String, ModuleState> modules;
    private final Map<String, Build> builds;
    private final ModuleGraph publishedGraph;
    private Currentness currentness;

    EnvironmentSnapshot(PlatformVersion version, long revision, Map<String, ModuleState> modules, Map<String, Build> builds) {
        this.version = version;
        this.revision = revision;
        this.modules = modules;
        this.builds = builds;
        var producers = new LinkedHashMap<String, List<String>>();
        modules.values().stream().filter(ModuleState::published).forEach(m -> producers.put(m.name(), m.publishedProducers()));
        this.publishedGraph = new ModuleGraph(producers);
    }

    public static EnvironmentSnapshot load(DSLContext dsl, PlatformVersion version) {
        long revision = dsl.select(ENVIRONMENT.REVISION).from(ENVIRONMENT).fetchOptional(ENVIRONMENT.REVISION).orElse(0L);
        var producer = MODULE.as("producer");
        Map<Long, List<String>> producerNames = dsl.select(CODE_REFERENCE.CODE_ID, producer.NAME).from(CODE_REFERENCE)
                .join(MODULE).on(MODULE.PUBLISHED_CODE_ID.eq(CODE_REFERENCE.CODE_ID))
                .join(producer).on(producer.ID.eq(CODE_REFERENCE.PRODUCER_ID))
                .fetchGroups(CODE_REFERENCE.CODE_ID, producer.NAME);
        var modules = new LinkedHashMap<String, ModuleState>();
        dsl.select(MODULE.ID, MODULE.NAME, APPLICATION.NAME, MODULE.PUBLISHED_CODE_ID, MODULE_CODE.SOURCES_SHA256,
                        MODULE.RUNNING_VERSION, MODULE.PUBLISH_REQUIRED)
                .from(MODULE).join(APPLICATION).on(APPLICATION.ID.eq(MODULE.APPLICATION_ID))
                .leftJoin(MODULE_CODE).on(MODULE_CODE.ID.eq(MODULE.PUBLISHED_CODE_ID))
                .orderBy(MODULE.NAME)
                .fetch(Records.mapping((id, name, application, codeId, sources, running, publishRequired) -> new ModuleState(id, name,
                        application, codeId, sources, codeId == null ? List.of() : List.copyOf(producerNames.getOrDefault(codeId, List.of())),
                        running, publishRequired)))
                .forEach(m -> modules.put(m.name(), m));
        var builds = new HashMap<>(dsl.select(MODULE.NAME, MODULE_BUILD.CODE_ID, MODULE_BUILD.INPUTS_SHA256, MODULE_BUILD.JAR_SHA256,
                        MODULE_BUILD.ORIGIN)
                .from(MODULE_BUILD).join(MODULE).on(MODULE.ID.eq(MODULE_BUILD.MODULE_ID))
                .where(MODULE_BUILD.PLATFORM_VERSION.eq(version.toString()))
                .fetchMap(MODULE.NAME, Records.mapping((name, codeId, inputs, jar, origin) -> new Build(codeId, inputs, jar, origin))));
        return new EnvironmentSnapshot(version, revision, modules, builds);
    }

    /** The revision of the environment this snapshot was read at. */
    public static long revision(DSLContext dsl) {
        return dsl.select(DSL.coalesce(ENVIRONMENT.REVISION, 0L)).from(ENVIRONMENT).fetchOptional(0, Long.class).orElse(0L);
    }

    public PlatformVersion version() {
        return version;
    }

    public long revision() {
        return revision;
    }

    public Map<String, ModuleState> modules() {
        return modules;
    }

    public ModuleState module(String name) {
        return modules.get(name);
    }

    public Build build(String name) {
        return currentness == null ? builds.get(name) : currentness.build(name);
    }

    /** The graph of published modules, along the references of the code each one runs. */
    public ModuleGraph publishedGraph() {
        return publishedGraph;
    }

    /**
     * Records compilations made after the snapshot was read, by the worker that holds it, from its
     * producers' current compilations: those modules are current now, and consumers current with their
     * previous compilations are not any more.
     */
    public void putBuilds(Map<String, Build> saved) {
        currentness = currentness().with(saved, new java.util.HashSet<>());
    }

    /** Whether the module is prepared (or published) for this version: see {@link Currentness}. */
    public boolean isCurrent(String module) {
        return currentness().isCurrent(module);
    }

    /** The inputs each module of a unit would be compiled from now; null when a producer has no compilation. */
    public Map<String, String> expectedInputs(List<String> unit) {
        return currentness().expectedInputs(unit);
    }

    /** Which modules are current, worked out on first use. */
    public Currentness currentness() {
        if (currentness == null) {
            currentness = Currentness.of(version, modules, publishedGraph, builds);
        }
        return currentness;
    }
}
