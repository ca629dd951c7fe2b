package modprep.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Optional;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.testing.OnPostgreSQL;
import modprep.testing.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command on a database that holds no environment yet, or an import into one that does, names the database,
 * not the data folder: on
 * PostgreSQL (--database) the data folder holds node files only. An empty data folder's own is named as
 * the data folder (DataFolderFaultsIT).
 */
@ExtendWith(OnPostgreSQL.class)
class NoEnvironmentOnPostgreSQLTest {
    @TempDir
    Path dir;

    @Test
    void a_server_database_is_named_as_the_database_not_as_the_data_folder() {
        var cluster = PostgresCluster.get();
        try (var app = Modprep.open(dir.resolve("node"), Optional.of(cluster.location(cluster.createEmptyDatabase())))) {
            var error = assertThrows(ModprepException.class, () -> new EnvironmentRepository(app.database().dsl()).settings());
            assertEquals(ModprepException.Kind.NOT_FOUND, error.kind());
            assertEquals("the database holds no environment yet: import one with `modprep import DIR`, or start `modprep serve`",
                    error.getMessage());
            var env = new modprep.testing.TestEnvironment("11.16.1").module("A").write(dir.resolve("env"));
            app.importer().importFolder(env, "test");
            var again = assertThrows(ModprepException.class, () -> app.importer().importFolder(env, "test"));
            assertEquals("the database already holds an environment: import into a new database (--database URL), or upload and "
                    + "publish modules one by one", again.getMessage());
        }
    }
}
