package modprep.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The schema version a running node checks on each heartbeat (nodes upgraded one by one): the highest one
 * this modprep's migrations reach, against the highest one Flyway's history holds, read with one cheap
 * query. A node that finds a newer one stops working rather than write rows the newer rules do not expect.
 */
public final class SchemaVersion {
    private static final Pattern SCRIPT = Pattern.compile("V([0-9][0-9_.]*)__.*\\.sql");
    private static volatile MigrationVersion known;

    private SchemaVersion() {
    }

    /** The highest version of this modprep's migrations (read once from the classpath). */
    public static MigrationVersion known() {
        if (known == null) {
            known = scripts().max(MigrationVersion::compareTo).orElse(MigrationVersion.EMPTY);
        }
        return known;
    }

    /** The highest version applied to the database, when it is newer than this modprep knows; else empty. */
    public static Optional<MigrationVersion> newerIn(DSLContext dsl) {
        var version = DSL.field(DSL.quotedName("version"), String.class);
        var newest = dsl.select(version).from(DSL.table(DSL.quotedName("flyway_schema_history")))
                .where(DSL.field(DSL.quotedName("success"), Boolean.class).isTrue(), version.isNotNull())
                .fetch(version).stream().map(MigrationVersion::fromVersion).max(MigrationVersion::compareTo);
        return newest.filter(v -> v.compareTo(known()) > 0);
    }

    /** The one line a node says when the database was migrated past what it knows. */
    public static String newerMessage(MigrationVersion inDatabase) {
        return "the database was migrated to version " + inDatabase + " by a newer modprep; this node knows " + known()
                + ": upgrade it";
    }

    private static Stream<MigrationVersion> scripts() {
        var url = SchemaVersion.class.getClassLoader().getResource("db/migration");
        if (url == null) {
            throw new IllegalStateException("db/migration is missing from the classpath");
        }
        try {
            if (url.getProtocol().equals("jar")) {
                try (var jar = FileSystems.newFileSystem(url.toURI(), Map.of())) {
                    return versions(jar.getPath("db/migration")).toList().stream();
                } catch (java.nio.file.FileSystemAlreadyExistsException e) {
                    return versions(FileSystems.getFileSystem(url.toURI()).getPath("db/migration")).toList().stream();
                }
            }
            return versions(Path.of(url.toURI())).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Stream<MigrationVersion> versions(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(p -> SCRIPT.matcher(p.getFileName().toString())).filter(java.util.regex.Matcher::matches)
                    .map(m -> MigrationVersion.fromVersion(m.group(1).replace('_', '.'))).toList().stream();
        }
    }
}
