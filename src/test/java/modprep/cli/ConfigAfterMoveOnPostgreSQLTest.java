package modprep.cli;

import static modprep.testing.InProcessCli.modprep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import modprep.testing.InProcessCli;
import modprep.testing.OnPostgreSQL;
import modprep.testing.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modprep config} on a data folder moved to PostgreSQL with {@code move-to}: it names the PostgreSQL
 * database as the installation's and shows the installation settings kept there, not the H2 files left aside.
 */
@ExtendWith(OnPostgreSQL.class)
class ConfigAfterMoveOnPostgreSQLTest {
    @TempDir
    Path dir;

    private static InProcessCli.Result ok(InProcessCli.Result result) {
        assertEquals(0, result.exitCode(), result.out() + result.err());
        return result;
    }

    @Test
    void config_on_a_moved_data_folder_names_the_PostgreSQL_database_and_shows_the_settings_kept_there() {
        String data = dir.resolve("data").toString();
        ok(modprep("", "demo", "--out", dir.resolve("env").toString(), "--modules", "5"));
        ok(modprep("", "--data", data, "import", dir.resolve("env").toString()));
        ok(modprep("", "--data", data, "settings", "set", "run-retention", "90d"));
        var cluster = PostgresCluster.get();
        String url = cluster.url(cluster.createEmptyDatabase());
        var env = Map.of("MODPREP_DATABASE_PASSWORD", cluster.password());
        ok(modprep(env, "", "--data", data, "move-to", "--database", url));

        String shown = ok(modprep(env, "", "--data", data, "config")).out();
        assertTrue(shown.contains("Installation settings (shared by every node, in the database " + url + ";"), shown);
        assertTrue(shown.matches("(?s).*\\n  run-retention +90d .*"), "the value kept in PostgreSQL, not a default: " + shown);
        assertFalse(shown.contains("no database in"), shown);
        assertFalse(shown.contains("opens the H2 database"), shown);
        assertFalse(shown.contains(cluster.password()), shown);
    }
}
