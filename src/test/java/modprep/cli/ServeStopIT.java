package modprep.cli;

import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.WORKER_PROCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import modprep.testing.ModprepProcess;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl+C or SIGTERM stops a server in order while its database is still open: it stops taking requests,
 * gives its run back and signs its worker off, then closes the database (the packaged jar, as a child process).
 */
class ServeStopIT {
    @TempDir
    Path dir;

    @Test
    void a_server_stopped_in_the_middle_of_a_run_gives_the_run_back_signs_off_and_logs_no_error() {
        Path env = dir.resolve("env");
        Path data = dir.resolve("data").toAbsolutePath();
        assertEquals(0, ModprepProcess.run("demo", "--out", env.toString(), "--modules", "400", "--no-failures").exitCode());
        assertEquals(0, ModprepProcess.run("--data", data.toString(), "import", env.toString()).exitCode());
        try (var server = ModprepProcess.start(Map.of("MODPREP_ADMIN_PASSWORD", "a server stopped in order"),
                "--data", data.toString(), "serve", "--port", "0", "--host", "127.0.0.1")) {
            server.consolePort();
            var upgrade = ModprepProcess.run("--data", data.toString(), "upgrade", "--to", "11.17.0");
            assertTrue(upgrade.out().contains("A modprep server on this data folder prepares run #1"), upgrade.output());
            TestEnvironment.awaitTrue("the server holds the run", Duration.ofMinutes(2), () -> ModprepProcess.read(data, dsl ->
                    dsl.fetchExists(PREPARATION_RUN, PREPARATION_RUN.LEASE_OWNER.isNotNull())));

            server.process.destroy(); // SIGTERM
            assertEquals(0, server.waitFor(Duration.ofMinutes(1)), "a stop asked for is no failure:\n" + server.out() + server.err());
            var log = String.join("\n", server.out()) + "\n" + String.join("\n", server.err());
            assertTrue(!log.contains("Exception") && !log.contains(" WARN ") && !log.contains(" ERROR "), log);
        }
        assertNull(ModprepProcess.read(data, dsl -> dsl.select(PREPARATION_RUN.LEASE_OWNER).from(PREPARATION_RUN).fetchOne().value1()),
                "the run is given back: another node, or this one started again, takes it on at once");
        assertEquals(Integer.valueOf(0), ModprepProcess.read(data, dsl -> dsl.fetchCount(WORKER_PROCESS)), "the worker signed off");
    }
}
