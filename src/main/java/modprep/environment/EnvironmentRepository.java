package modprep.environment;

import static modprep.db.schema.Tables.APPLICATION;
import static modprep.db.schema.Tables.CODE_REFERENCE;
import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.MODULE_CODE;
import static modprep.db.schema.Tables.MODULE_CONFIG;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import modprep.platform.PlatformVersion;
import modprep.status.BuildOrigin;
import org.jooq.DSLContext;

/** Writes to the environment's tables, inside the caller's transaction. */
public record EnvironmentRepository(DSLContext dsl) {

    public boolean exists() {
        return dsl.fetchExists(ENVIRONMENT);
    }

    public EnvironmentSettings settings() {
        var r = dsl.selectFrom(ENVIRONMENT).fetchOne();
        if (r == null) {
            throw noEnvironment(dsl);
        }
        return new EnvironmentSettings(PlatformVersion.parseOrNull(r.getPlatformVersion()), r.getProgressiveEnabled(),
                r.getGroupSize(), r.getImportedAt(), r.getUpgradedAt(), r.getRevision());
    }

    /**
     * The error for a database without an environment: a data folder's (H2), or a server's (PostgreSQL, which
     * the data folder does not hold: {@code --database}).
     */
    public static modprep.ModprepException noEnvironment(DSLContext dsl) {
        return modprep.ModprepException.notFound(modprep.db.Database.named(dsl)
                + " holds no environment yet: import one with `modprep import DIR`, or start `modprep serve`");
    }

    /** The settings, with the environment row locked until the transaction ends: one writer at a time. */
    public EnvironmentSettings lockSettings() {
        dsl.selectFrom(ENVIRONMENT).forUpdate().fetch();
        return settings();
    }

    /**
     * Stores the environment's one row; false when there is one already, stored by an import that committed
     * meanwhile (two nodes' first starts at once): the insert waits for it, then does nothing, rather than fail.
     */
    public boolean create(PlatformVersion version, boolean progressive, int groupSize, OffsetDateTime now) {
        return dsl.insertInto(ENVIRONMENT)
                .set(ENVIRONMENT.ID, 1)
                .set(ENVIRONMENT.PLATFORM_VERSION, version.toString())
                .set(ENVIRONMENT.PROGRESSIVE_ENABLED, progressive)
                .set(ENVIRONMENT.GROUP_SIZE, groupSize)
                .set(ENVIRONMENT.IMPORTED_AT, now)
                .set(ENVIRONMENT.REVISION, 1L)
                .onConflictDoNothing()
                .execute() == 1;
    }

    /** Keeps how long the import compiled its published modules' source files: a first run's pace (I1). */
    public void importCompiled(long millis, int sourceFiles) {
        dsl.update(ENVIRONMENT).set(ENVIRONMENT.IMPORT_COMPILE_MS, millis).set(ENVIRONMENT.IMPORT_SOURCE_FILES, sourceFiles).execute();
    }

    /** Marks a change to modules, code or compilations, so that workers re-read what they hold. */
    public void bumpRevision() {
        dsl.update(ENVIRONMENT).set(ENVIRONMENT.REVISION, ENVIRONMENT.REVISION.plus(1)).execute();
    }

    public long applicationId(String name) {
        Long id = dsl.select(APPLICATION.ID).from(APPLICATION).where(APPLICATION.NAME.eq(name)).fetchOne(APPLICATION.ID);
        if (id != null) {
            return id;
        }
        return dsl.insertInto(APPLICATION).set(APPLICATION.NAME, name).returning(APPLICATION.ID).fetchOne().getId();
    }

    public Long moduleId(String name) {
        return dsl.select(MODULE.ID).from(MODULE).where(MODULE.NAME.eq(name)).fetchOne(MODULE.ID);
    }

    public long insertModule(String name, long applicationId) {
        return dsl.insertInto(MODULE).set(MODULE.NAME, name).set(MODULE.APPLICATION_ID, applicationId)
                .returning(MODULE.ID).fetchOne().getId();
    }

    /** Adds a version of a module's code, with its references, and makes it the latest. */
    public long addCode(long moduleId, String sourcesSha, int fileCount, Collection<Long> producerIds,
                        OffsetDateTime now, String actor) {
        int seq = dsl.select(org.jooq.impl.DSL.coalesce(org.jooq.impl.DSL.max(MODULE_CODE.SEQ), 0)).from(MODULE_CODE)
                .where(MODULE_CODE.MODULE_ID.eq(moduleId)).fetchOne(0, Integer.class) + 1;
        long codeId = dsl.insertInto(MODULE_CODE)
                .set(MODULE_CODE.MODULE_ID, moduleId)
                .set(MODULE_CODE.SEQ, seq)
                .set(MODULE_CODE.SOURCES_SHA256, sourcesSha)
                .set(MODULE_CODE.FILE_COUNT, fileCount)
                .set(MODULE_CODE.UPLOADED_AT, now)
                .set(MODULE_CODE.UPLOADED_BY, actor)
                .returning(MODULE_CODE.ID).fetchOne().getId();
        if (!producerIds.isEmpty()) {
            var insert = dsl.insertInto(CODE_REFERENCE, CODE_REFERENCE.CODE_ID, CODE_REFERENCE.PRODUCER_ID);
            for (long producer : producerIds) {
                insert = insert.values(codeId, producer);
            }
            insert.execute();
        }
        dsl.update(MODULE).set(MODULE.LATEST_CODE_ID, codeId).where(MODULE.ID.eq(moduleId)).execute();
        return codeId;
    }

    public void setApplication(long moduleId, long applicationId) {
        dsl.update(MODULE).set(MODULE.APPLICATION_ID, applicationId).where(MODULE.ID.eq(moduleId)).execute();
    }

    /** Replaces a module's configuration values. */
    public void replaceConfiguration(long moduleId, Map<String, String> values) {
        dsl.deleteFrom(MODULE_CONFIG).where(MODULE_CONFIG.MODULE_ID.eq(moduleId)).execute();
        if (!values.isEmpty()) {
            var insert = dsl.insertInto(MODULE_CONFIG, MODULE_CONFIG.MODULE_ID, MODULE_CONFIG.CONFIG_KEY, MODULE_CONFIG.CONFIG_VALUE);
            for (var e : values.entrySet()) {
                insert = insert.values(moduleId, e.getKey(), e.getValue());
            }
            insert.execute();
        }
    }

    public Map<String, String> configuration(long moduleId) {
        return dsl.select(MODULE_CONFIG.CONFIG_KEY, MODULE_CONFIG.CONFIG_VALUE).from(MODULE_CONFIG)
                .where(MODULE_CONFIG.MODULE_ID.eq(moduleId)).orderBy(MODULE_CONFIG.CONFIG_KEY)
                .fetchMap(MODULE_CONFIG.CONFIG_KEY, MODULE_CONFIG.CONFIG_VALUE);
    }

    /** Deploys a compilation: from now on the module runs this code, compiled with this version. */
    public void markPublished(long moduleId, long codeId, PlatformVersion version, String jarSha,
                              OffsetDateTime now, String actor) {
        dsl.update(MODULE)
                .set(MODULE.PUBLISHED_CODE_ID, codeId)
                .set(MODULE.RUNNING_VERSION, version.toString())
                .set(MODULE.RUNNING_JAR, jarSha)
                .set(MODULE.PUBLISHED_AT, now)
                .set(MODULE.PUBLISHED_BY, actor)
                .set(MODULE.PUBLISH_REQUIRED, false)
                .set(MODULE.ROW_VERSION, MODULE.ROW_VERSION.plus(1))
                .where(MODULE.ID.eq(moduleId)).execute();
    }

    /** A module's compilation of one version of its code, from given inputs. */
    public record BuildRow(long moduleId, long codeId, String inputs, String jarSha) {
    }

    /** Records modules' compilations for a version, replacing the ones they had, in two statements. */
    public void saveBuilds(java.util.List<BuildRow> builds, PlatformVersion version, BuildOrigin origin, Long runId, OffsetDateTime now) {
        if (builds.isEmpty()) {
            return;
        }
        dsl.deleteFrom(MODULE_BUILD).where(MODULE_BUILD.PLATFORM_VERSION.eq(version.toString()),
                MODULE_BUILD.MODULE_ID.in(builds.stream().map(BuildRow::moduleId).toList())).execute();
        var insert = dsl.batch(dsl.insertInto(MODULE_BUILD, MODULE_BUILD.MODULE_ID, MODULE_BUILD.PLATFORM_VERSION,
                        MODULE_BUILD.CODE_ID, MODULE_BUILD.INPUTS_SHA256, MODULE_BUILD.JAR_SHA256, MODULE_BUILD.ORIGIN,
                        MODULE_BUILD.RUN_ID, MODULE_BUILD.BUILT_AT)
                .values((Long) null, null, null, null, null, null, null, null));
        builds.forEach(b -> insert.bind(b.moduleId(), version.toString(), b.codeId(), b.inputs(), b.jarSha(), origin, runId, now));
        insert.execute();
    }
}
