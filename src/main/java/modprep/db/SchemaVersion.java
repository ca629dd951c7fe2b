package modprep.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import org.jooq.DSLContext;

/**
 * The schema versions of this modprep's migrations, against those Flyway's history holds, each read with
 * one cheap query: whether a database has exactly this modprep's migrations (a command's start then needs
 * nothing of Flyway), and on each heartbeat whether it was migrated past them (nodes upgraded one by one).
 * A node that finds a newer one stops working rather than write rows the newer rules do not expect.
 */
public final class SchemaVersion {
    private static final String FOLDER = "db/migration";
    private static final Pattern SCRIPT = Pattern.compile("V([0-9][0-9_.]*)__.*\\.sql");
    /** Rows Flyway writes of its own (the history table made, a schema made): no migration's. */
    private static final Set<String> MARKERS = Set.of("TABLE", "SCHEMA");
    private static volatile List<String> names;
    private static volatile Set<MigrationVersion> scripts;

    private SchemaVersion() {
    }

    /** The highest version of this modprep's migrations. */
    public static MigrationVersion known() {
        return scripts().stream().max(MigrationVersion::compareTo).orElse(MigrationVersion.EMPTY);
    }

    /**
     * Whether every migration of this modprep, and no other, was applied with success: what Flyway's migrate
     * would then do is nothing but check the scripts' checksums, which were never edited once released.
     */
    static boolean upToDate(DataSource dataSource) {
        if (names().stream().anyMatch(n -> n.startsWith("R__"))) {
            return false; // a repeatable migration is Flyway's to compare and apply again
        }
        List<Applied> history;
        try (var connection = dataSource.getConnection()) {
            history = history(connection);
        } catch (SQLException e) {
            return false; // no history yet (a new database), or it could not be read: Flyway decides
        }
        var applied = new HashSet<MigrationVersion>();
        for (var row : history) {
            if (MARKERS.contains(row.type())) {
                continue;
            }
            if (!row.success() || row.version() == null) {
                return false;
            }
            applied.add(MigrationVersion.fromVersion(row.version()));
        }
        return applied.equals(scripts());
    }

    /** The highest version applied to the database, when it is newer than this modprep knows; else empty. */
    public static Optional<MigrationVersion> newerIn(DSLContext dsl) {
        var newest = dsl.connectionResult(SchemaVersion::history).stream().filter(r -> r.success() && r.version() != null)
                .map(r -> MigrationVersion.fromVersion(r.version())).max(MigrationVersion::compareTo);
        return newest.filter(v -> v.compareTo(known()) > 0);
    }

    /** A row of Flyway's history: its version (none for its own marker rows and repeatable migrations), type and outcome. */
    private record Applied(String version, String type, boolean success) {
    }

    /** Flyway's history, in the connection's current schema, where Flyway keeps it. */
    private static List<Applied> history(Connection connection) throws SQLException {
        String schema = connection.getSchema();
        String table = (schema == null ? "" : '"' + schema.replace("\"", "\"\"") + "\".") + "\"flyway_schema_history\"";
        var rows = new ArrayList<Applied>();
        try (var statement = connection.createStatement();
             var result = statement.executeQuery("select \"version\", \"type\", \"success\" from " + table)) {
            while (result.next()) {
                rows.add(new Applied(result.getString(1), result.getString(2), result.getBoolean(3)));
            }
        }
        return rows;
    }

    /** The one line a node says when the database was migrated past what it knows. */
    public static String newerMessage(MigrationVersion inDatabase) {
        return "the database was migrated to version " + inDatabase + " by a newer modprep; this node knows " + known()
                + ": upgrade it";
    }

    /** This modprep's migrations, read once from the classpath. */
    private static Set<MigrationVersion> scripts() {
        if (scripts == null) {
            scripts = Set.copyOf(versions(names()));
        }
        return scripts;
    }

    /** The file names in db/migration, read once: from the jar's index (37 ms; a zip file system over the 40 MB jar took 67), or a folder. */
    private static List<String> names() {
        if (names == null) {
            names = list();
        }
        return names;
    }

    private static List<String> list() {
        var url = SchemaVersion.class.getClassLoader().getResource(FOLDER);
        if (url == null) {
            throw new IllegalStateException(FOLDER + " is missing from the classpath");
        }
        try {
            if (url.openConnection() instanceof JarURLConnection connection) {
                connection.setUseCaches(false);
                try (var jar = connection.getJarFile()) {
                    return jar.stream().map(java.util.zip.ZipEntry::getName).filter(n -> n.startsWith(FOLDER + "/"))
                            .map(n -> n.substring(FOLDER.length() + 1)).toList();
                }
            }
            try (var files = Files.list(Path.of(url.toURI()))) {
                return files.map(p -> p.getFileName().toString()).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<MigrationVersion> versions(List<String> names) {
        return names.stream().map(SCRIPT::matcher).filter(java.util.regex.Matcher::matches)
                .map(m -> MigrationVersion.fromVersion(m.group(1).replace('_', '.'))).toList();
    }
}
