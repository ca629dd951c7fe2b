package modprep.environment;

import static modprep.db.schema.Tables.APPLICATION;
import static modprep.db.schema.Tables.CODE_REFERENCE;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_CODE;
import static modprep.db.schema.Tables.MODULE_CONFIG;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import modprep.db.BlobStore;
import modprep.platform.PlatformVersion;
import modprep.status.BuildOrigin;
import org.jooq.DSLContext;

/**
 * Writes an imported environment in a handful of batched statements per table (thousands of modules
 * in a few seconds), inside the import's one transaction: first {@link #modules}, while the compiling
 * goes on, then {@link #compilations}.
 */
final class ImportWriter {
    private final DSLContext tx;
    private final OffsetDateTime now;
    private final String actor;
    private Map<String, Long> ids;
    private Map<Long, Long> codeIds;

    ImportWriter(DSLContext tx, OffsetDateTime now, String actor) {
        this.tx = tx;
        this.now = now;
        this.actor = actor;
    }

    /** The modules, their applications, code, references and configuration: what the compiling does not change. */
    void modules(Map<String, ModuleSpec> modules, Map<String, byte[]> sourcesArchives, Map<String, String> sourcesShas) {
        var applications = tx.batch(tx.insertInto(APPLICATION, APPLICATION.NAME).values((String) null));
        modules.values().stream().map(ModuleSpec::application).distinct().forEach(applications::bind);
        applications.execute();
        var applicationIds = tx.select(APPLICATION.NAME, APPLICATION.ID).from(APPLICATION).fetchMap(APPLICATION.NAME, APPLICATION.ID);

        var insertModules = tx.batch(tx.insertInto(MODULE, MODULE.NAME, MODULE.APPLICATION_ID).values((String) null, (Long) null));
        modules.values().forEach(m -> insertModules.bind(m.name(), applicationIds.get(m.application())));
        insertModules.execute();
        ids = tx.select(MODULE.NAME, MODULE.ID).from(MODULE).fetchMap(MODULE.NAME, MODULE.ID);

        var blobs = new HashMap<String, byte[]>();
        sourcesArchives.forEach((module, archive) -> blobs.put(sourcesShas.get(module), archive));
        new BlobStore(tx).putAll(blobs);

        var codes = tx.batch(tx.insertInto(MODULE_CODE, MODULE_CODE.MODULE_ID, MODULE_CODE.SEQ, MODULE_CODE.SOURCES_SHA256,
                MODULE_CODE.FILE_COUNT, MODULE_CODE.UPLOADED_AT, MODULE_CODE.UPLOADED_BY).values((Long) null, null, null, null, null, null));
        modules.values().forEach(m -> codes.bind(ids.get(m.name()), 1, sourcesShas.get(m.name()), m.sources().size(), now, actor));
        codes.execute();
        codeIds = tx.select(MODULE_CODE.MODULE_ID, MODULE_CODE.ID).from(MODULE_CODE).fetchMap(MODULE_CODE.MODULE_ID, MODULE_CODE.ID);

        var references = tx.batch(tx.insertInto(CODE_REFERENCE, CODE_REFERENCE.CODE_ID, CODE_REFERENCE.PRODUCER_ID).values((Long) null, null));
        var configuration = tx.batch(tx.insertInto(MODULE_CONFIG, MODULE_CONFIG.MODULE_ID, MODULE_CONFIG.CONFIG_KEY,
                MODULE_CONFIG.CONFIG_VALUE).values((Long) null, null, null));
        var latest = tx.batch(tx.update(MODULE).set(MODULE.LATEST_CODE_ID, (Long) null).where(MODULE.ID.eq((Long) null)));
        int referenceCount = 0;
        int configCount = 0;
        int unpublished = 0;
        for (var m : modules.values()) {
            long id = ids.get(m.name());
            long codeId = codeIds.get(id);
            for (String producer : m.references()) {
                references.bind(codeId, ids.get(producer));
                referenceCount++;
            }
            for (var entry : m.configuration().entrySet()) {
                configuration.bind(id, entry.getKey(), entry.getValue());
                configCount++;
            }
            if (!m.published()) {
                latest.bind(codeId, id);
                unpublished++;
            }
        }
        if (referenceCount > 0) {
            references.execute();
        }
        if (configCount > 0) {
            configuration.execute();
        }
        if (unpublished > 0) {
            latest.execute();
        }
    }

    /** The published modules' jars and compilations, once compiled: each module runs its jar for the version. */
    void compilations(PlatformVersion version, Map<String, ModuleSpec> modules, Map<String, String> inputs,
                      Map<String, Compilations.Jar> jars, Compilations compilations) {
        var byInputs = new HashMap<String, Compilations.Jar>();
        jars.forEach((module, jar) -> byInputs.put(inputs.get(module), jar));
        compilations.store(tx, byInputs);

        var published = tx.batch(tx.update(MODULE).set(MODULE.LATEST_CODE_ID, (Long) null).set(MODULE.PUBLISHED_CODE_ID, (Long) null)
                .set(MODULE.RUNNING_VERSION, (String) null).set(MODULE.RUNNING_JAR, (String) null)
                .set(MODULE.PUBLISHED_AT, (OffsetDateTime) null).set(MODULE.PUBLISHED_BY, (String) null).where(MODULE.ID.eq((Long) null)));
        var builds = new ArrayList<EnvironmentRepository.BuildRow>();
        for (var m : modules.values()) {
            if (m.published()) {
                long id = ids.get(m.name());
                long codeId = codeIds.get(id);
                String jar = jars.get(m.name()).sha256();
                published.bind(codeId, codeId, version.toString(), jar, now, actor, id);
                builds.add(new EnvironmentRepository.BuildRow(id, codeId, inputs.get(m.name()), jar));
            }
        }
        if (!builds.isEmpty()) {
            published.execute();
        }
        new EnvironmentRepository(tx).saveBuilds(builds, version, BuildOrigin.IMPORTED, null, now);
    }
}
