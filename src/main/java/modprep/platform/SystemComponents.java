package modprep.platform;

import static modprep.db.schema.Tables.PLATFORM_BUILD;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import modprep.db.BlobStore;
import modprep.db.Database;

/**
 * The system components of each platform version, compiled once into a jar that is kept in the
 * database (and in memory), so that every module compiles against the same bytes.
 */
public final class SystemComponents {
    private final Database database;
    private final PlatformCatalog catalog;
    private final JavaSourceCompiler compiler;
    private final Map<PlatformVersion, ClassFiles> compiled = new ConcurrentHashMap<>();

    public SystemComponents(Database database, PlatformCatalog catalog, JavaSourceCompiler compiler) {
        this.database = database;
        this.catalog = catalog;
        this.compiler = compiler;
    }

    public ClassFiles of(PlatformVersion version) {
        return compiled.computeIfAbsent(version, this::loadOrCompile);
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
        var classes = new ClassFiles(ClassFiles.SYSTEM, result.classesByModule().get(ClassFiles.SYSTEM).classes());
        database.transaction(tx -> {
            String sha = new BlobStore(tx).put(classes.toJar());
            return tx.insertInto(PLATFORM_BUILD)
                    .set(PLATFORM_BUILD.PLATFORM_VERSION, version.toString())
                    .set(PLATFORM_BUILD.JAR_SHA256, sha)
                    .set(PLATFORM_BUILD.BUILT_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .onConflictDoNothing().execute();
        });
        return classes;
    }
}
