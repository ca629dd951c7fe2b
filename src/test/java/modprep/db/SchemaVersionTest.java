package modprep.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * A command's start leaves Flyway out only when the database has exactly this modprep's migrations, all
 * applied with success: a new database, one a migration is missing from, one with a failed or a repeatable
 * migration and one a newer modprep migrated each go through Flyway (which applies, or refuses with its reason).
 */
class SchemaVersionTest {
    private static JdbcDataSource h2(String name) {
        var dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser(H2Folder.USER);
        return dataSource;
    }

    private static void execute(JdbcDataSource dataSource, String sql) throws Exception {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void known_is_the_highest_script_of_db_migration() throws Exception {
        try (Stream<Path> scripts = Files.list(Path.of("db/migration"))) {
            var highest = scripts.map(p -> p.getFileName().toString()).filter(n -> n.matches("V[0-9_.]+__.*\\.sql"))
                    .map(n -> MigrationVersion.fromVersion(n.substring(1, n.indexOf("__")).replace('_', '.')))
                    .max(MigrationVersion::compareTo).orElseThrow();
            assertEquals(highest, SchemaVersion.known());
        }
    }

    @Test
    void only_a_database_with_every_migration_applied_and_no_other_is_up_to_date() throws Exception {
        var dataSource = h2("schema-version-up-to-date");
        assertFalse(SchemaVersion.upToDate(dataSource), "a new database has no history");
        SchemaCheck.migrate(dataSource);
        assertTrue(SchemaVersion.upToDate(dataSource));

        execute(dataSource, "insert into \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", \"script\", "
                + "\"checksum\", \"installed_by\", \"execution_time\", \"success\") values (100, null, 'views', 'SQL', 'R__views.sql', 1, 'sa', 1, true)");
        assertFalse(SchemaVersion.upToDate(dataSource), "a repeatable migration is Flyway's to compare");
        execute(dataSource, "delete from \"flyway_schema_history\" where \"installed_rank\" = 100");
        assertTrue(SchemaVersion.upToDate(dataSource));

        execute(dataSource, "update \"flyway_schema_history\" set \"success\" = false where \"version\" = '" + SchemaVersion.known() + "'");
        assertFalse(SchemaVersion.upToDate(dataSource), "a failed migration is Flyway's to report");
        execute(dataSource, "delete from \"flyway_schema_history\" where \"version\" = '" + SchemaVersion.known() + "'");
        assertFalse(SchemaVersion.upToDate(dataSource), "a missing migration is Flyway's to apply");
    }

    @Test
    void a_database_a_newer_modprep_migrated_is_not_up_to_date_and_is_refused() {
        var dataSource = h2("schema-version-newer");
        SchemaCheck.migrate(dataSource);
        Flyway.configure().dataSource(dataSource).locations(SchemaCheck.LOCATION, "classpath:db/future").load().migrate();

        assertFalse(SchemaVersion.upToDate(dataSource));
        var refused = org.junit.jupiter.api.Assertions.assertThrows(DatabaseUnavailable.class, () -> SchemaCheck.migrate(dataSource));
        assertEquals(DatabaseUnavailable.Reason.SCHEMA_NEWER, refused.reason());
    }
}
