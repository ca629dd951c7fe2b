package modprep.web;

import static modprep.db.schema.Tables.COMPILATION;
import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;
import static modprep.db.schema.Tables.RUN_MODULE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import modprep.Json;
import modprep.status.BuildOrigin;
import modprep.status.GroupStatus;
import modprep.status.ModuleStatus;
import modprep.testing.ModprepProcess;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI and the server on one data folder (DESIGN §6): {@code modprep serve} runs as a child process,
 * and {@code modprep upgrade --follow}, {@code status --json} and {@code publish} run beside it as other
 * children. They share the database: one run, each group prepared once, the same status on both sides.
 */
class ServeAndCliIT {
    private static final String PASSWORD = "serve and cli share one folder";

    @TempDir
    Path dir;

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void a_cli_upgrade_beside_a_running_server_works_through_the_same_database_and_each_group_is_prepared_once() {
        Path env = dir.resolve("env");
        String data = dir.resolve("data").toString();
        assertEquals(0, ModprepProcess.run("demo", "--out", env.toString(), "--modules", "60").exitCode());
        assertEquals(0, ModprepProcess.run("--data", data, "import", env.toString()).exitCode());
        int compilationsBefore = ModprepProcess.read(Path.of(data), dsl -> dsl.fetchCount(COMPILATION));

        try (var server = ModprepProcess.start(Map.of("MODPREP_ADMIN_PASSWORD", PASSWORD),
                "--data", data, "serve", "--port", "0", "--host", "127.0.0.1")) {
            var http = new ConsoleClient("http://127.0.0.1:" + server.consolePort());
            String admin = ConsoleClient.basic("admin", PASSWORD);
            assertEquals("null", http.api("GET", "/api/status", null, admin).body(), "no run yet");
            assertEquals("null", ModprepProcess.run("--data", data, "status", "--json").out().strip(), "the CLI says the same");
            assertEquals(401, http.api("GET", "/api/status", null, ConsoleClient.basic("admin", "a wrong password")).status());

            var upgrade = ModprepProcess.run("--data", data, "upgrade", "--to", "11.17.0", "--follow");
            assertEquals(1, upgrade.exitCode(), "the demo's findByName callers fail: " + upgrade.output());
            assertTrue(upgrade.out().contains("Upgraded the environment from 11.16.1 to 11.17.0."), upgrade.output());
            assertTrue(upgrade.out().contains("Run #1 finished with errors"), upgrade.output());

            // Both sides see one run, the same one.
            var cliStatus = ModprepProcess.run("--data", data, "status", "--json");
            assertEquals(0, cliStatus.exitCode(), cliStatus.output());
            var apiStatus = http.api("GET", "/api/status", null, admin);
            assertEquals(200, apiStatus.status());
            assertEquals(json(apiStatus.body()), json(cliStatus.out()), "modprep status --json is what GET /api/status serves");
            assertEquals(1, json(http.api("GET", "/api/preparations", null, admin).body()).size());

            // The database, read beside the server: each group prepared once, nothing left over.
            var counts = ModprepProcess.read(Path.of(data), dsl -> Map.of(
                    "runs", dsl.fetchCount(PREPARATION_RUN),
                    "groups", dsl.fetchCount(RUN_GROUP),
                    "groups done", dsl.fetchCount(RUN_GROUP, RUN_GROUP.STATUS.eq(GroupStatus.DONE), RUN_GROUP.STARTED_AT.isNotNull(), RUN_GROUP.FINISHED_AT.isNotNull()),
                    "locks", dsl.fetchCount(MODULE_LOCK),
                    "unfinished modules", dsl.fetchCount(RUN_MODULE, RUN_MODULE.STATUS.in(ModuleStatus.PENDING, ModuleStatus.PREPARING)),
                    "prepared", dsl.fetchCount(RUN_MODULE, RUN_MODULE.STATUS.eq(ModuleStatus.PREPARED)),
                    "prepared builds", dsl.fetchCount(MODULE_BUILD, MODULE_BUILD.ORIGIN.eq(BuildOrigin.PREPARED), MODULE_BUILD.RUN_ID.eq(1L)),
                    "new compilations", dsl.fetchCount(COMPILATION) - compilationsBefore));
            assertEquals(1, counts.get("runs"), counts.toString());
            assertEquals(counts.get("groups"), counts.get("groups done"), counts.toString());
            assertEquals(0, counts.get("locks"), counts.toString());
            assertEquals(0, counts.get("unfinished modules"), counts.toString());
            assertEquals(counts.get("prepared"), counts.get("prepared builds"), "each prepared module has its compilation: " + counts);
            assertEquals(counts.get("prepared"), counts.get("new compilations"), "each compiled once, none twice: " + counts);
            var stepsPerGroup = ModprepProcess.read(Path.of(data), dsl -> dsl.select(GROUP_STEP.GROUP_SEQ, DSL.count(), DSL.countDistinct(GROUP_STEP.NAME))
                    .from(GROUP_STEP).where(GROUP_STEP.STARTED_AT.isNotNull(), GROUP_STEP.FINISHED_AT.isNotNull())
                    .groupBy(GROUP_STEP.GROUP_SEQ).fetch(r -> List.of(r.value2(), r.value3())));
            assertEquals(counts.get("groups"), stepsPerGroup.size(), "every group has its steps");
            assertTrue(stepsPerGroup.stream().allMatch(s -> s.get(0).equals(5) && s.get(1).equals(5)),
                    "P13: one set of five timed steps per group: " + stepsPerGroup);

            // A CLI command that changes something works through the server's database too.
            var prepared = json(http.api("GET", "/api/modules?status=prepared", null, admin).body()).get("modules").get(0).get("name").asText();
            var publish = ModprepProcess.run("--data", data, "publish", prepared);
            assertEquals(0, publish.exitCode(), publish.output());
            var module = json(http.api("GET", "/api/modules/" + prepared, null, admin).body());
            assertEquals("running", module.get("statusForCurrentVersion").get("code").asText(), module.toString());
            assertEquals("11.17.0", module.get("runs").get("version").asText(), "the server sees what the CLI published");

            server.close();
            String logs = String.join("\n", server.out()) + String.join("\n", server.err()) + upgrade.output() + cliStatus.output() + publish.output();
            assertFalse(logs.contains(PASSWORD), "the administrator's password is in no output");
            assertFalse(logs.contains("a wrong password"), "nor a wrong one");
            assertTrue(String.join("\n", server.err()).contains("Listening on"), "the server's log was read");
        }
    }
}
