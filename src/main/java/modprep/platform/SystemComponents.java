package modprep.platform;

import static modprep.db.schema.Tables.PLATFORM_BUILD;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import modprep.db.BlobStore;
import modprep.db.Database;
import org.jooq.DSLContext;

/**
 * The system components of each platform version, compiled once into a jar that is kept in the
 * database (and in memory), so that every module compiles against the same bytes.
 */
public final class SystemComponents {
    private final Database database;
    private final PlatformCatalog catalog;
    private final JavaSourceCompiler compiler;
    private final Map<PlatformVersion, ClassFiles> compiled = new ConcurrentHashMap<>();
    private final Map<PlatformVersion, ClassFiles> unsaved = new ConcurrentHashMap<>();
    private final Map<PlatformVersion, FixHints> hints = new ConcurrentHashMap<>();

    public SystemComponents(Database database, PlatformCatalog catalog, JavaSourceCompiler compiler) {
        this.database = database;
        this.catalog = catalog;
        this.compiler = compiler;
    }

    /** The system components of a version, stored in the database the first time this process needs them. */
    public ClassFiles of(PlatformVersion version) {
        return compiled.computeIfAbsent(version, v -> {
            var classes = unsaved(v);
            database.transaction(tx -> {
                save(tx, v);
                return null;
            });
            return classes;
        });
    }

    /** I7: what replaces each API removed by this version or an earlier one, for its failures. */
    public FixHints hints(PlatformVersion version) {
        return hints.computeIfAbsent(version, v -> FixHints.forTarget(catalog, v));
    }

    /**
     * The system components of a version, read from the database or compiled, without storing anything:
     * an import stores them in its own transaction, with everything else or not at all (DESIGN §3).
     */
    public ClassFiles unsaved(PlatformVersion version) {
        return unsaved.computeIfAbsent(version, this::loadOrCompile);
    }

    /** Stores the system components of a version in the caller's transaction, unless they are stored. */
    public void save(DSLContext tx, PlatformVersion version) {
        if (tx.fetchExists(PLATFORM_BUILD, PLATFORM_BUILD.PLATFORM_VERSION.eq(version.toString()))) {
            return;
        }
        String sha = new BlobStore(tx).put(unsaved(version).toJar());
        tx.insertInto(PLATFORM_BUILD)
                .set(PLATFORM_BUILD.PLATFORM_VERSION, version.toString())
                .set(PLATFORM_BUILD.JAR_SHA256, sha)
                .set(PLATFORM_BUILD.BUILT_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .onConflictDoNothing().execute();
    }

    private ClassFiles loadOrCompile(PlatformVersion version) {
        var dsl = database.dsl();
        String stored = dsl.select(PLATFORM_BUILD.JAR_SHA256).from(PLATFORM_BUILD)
                .where(PLATFORM_BUILD.PLATFORM_VERSION.eq(version.toString())).fetchOne(PLATFORM_BUILD.JAR_SHA256);
        if (stored != null) {
            return ClassFiles.fromJar(ClassFiles.SYSTEM, new BlobStore(dsl).get(stored));
        }
        var result = compiler.compile(
                List.of(new JavaSourceCompiler.ModuleSources(ClassFiles.SYSTEM, catalog.systemSources(version))), List.of());
        if (!result.succeeded()) {
            throw new IllegalStateException("the system components of " + version + " do not compile: " + result.errors());
        }
        return new ClassFiles(ClassFiles.SYSTEM, result.classesByModule().get(ClassFiles.SYSTEM).classes());
    }
}
