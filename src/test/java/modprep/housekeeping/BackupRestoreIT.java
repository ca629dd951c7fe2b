package modprep.housekeeping;

import static modprep.db.schema.Tables.AUDIT_EVENT;
import static modprep.db.schema.Tables.CONSOLE_SESSION;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_MODULE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import modprep.db.Database;
import modprep.status.RunStatus;
import modprep.testing.DatabaseDump;
import modprep.testing.ModprepProcess;
import modprep.testing.RowLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 5: {@code modprep backup} beside a real {@code modprep serve} in the middle of a run,
 * and {@code modprep restore} of that backup into a new data folder, where everything is (modules, the
 * run as it was, users, the audit) and the run can be finished.
 */
class BackupRestoreIT {
    @TempDir
    Path dir;

    /** The tables a restore must bring back as they were when the backup was taken (they do not move during a run). */
    private static Map<String, String> accountsAndCode(Path data) {
        var dump = ModprepProcess.read(data, DatabaseDump::of);
        return Map.of("app_user", dump.get("app_user"), "module_code", dump.get("module_code"), "application", dump.get("application"));
    }

    @Test
    void a_backup_taken_during_a_run_of_a_running_server_restores_into_a_new_folder_with_modules_runs_users_and_audit() throws Exception {
        Path env = dir.resolve("env");
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backups/modprep.zip");
        Files.createDirectories(backup.getParent());
        assertEquals(0, ModprepProcess.run("demo", "--out", env.toString(), "--modules", "60").exitCode());
        assertEquals(0, ModprepProcess.run("--data", data.toString(), "import", env.toString()).exitCode());
        Path restored = dir.resolve("restored");
        int runModules;
        try (var server = ModprepProcess.start(Map.of("MODPREP_ADMIN_PASSWORD", "backup while it works"),
                "--data", data.toString(), "serve", "--port", "0", "--host", "127.0.0.1")) {
            server.consolePort();
            // The modules' rows held: the server's worker cannot save a group, so the run stays in progress until released.
            try (var database = Database.open(data); var held = RowLock.take(database, "SELECT * FROM module FOR UPDATE")) {
                var upgrade = ModprepProcess.run("--data", data.toString(), "upgrade", "--to", "11.17.0");
                assertEquals(0, upgrade.exitCode(), upgrade.output());
                assertTrue(upgrade.out().contains("A modprep server on this data folder prepares run #1"), upgrade.output());
                runModules = database.dsl().fetchCount(RUN_MODULE, RUN_MODULE.RUN_ID.eq(1L));

                // A signed-in console session at the backup's moment (Jetty's row, as a sign-in writes it).
                long now = System.currentTimeMillis();
                database.dsl().insertInto(CONSOLE_SESSION).set(CONSOLE_SESSION.SESSION_ID, "signed-in-at-backup")
                        .set(CONSOLE_SESSION.CONTEXT_PATH, "").set(CONSOLE_SESSION.VIRTUAL_HOST, "0.0.0.0")
                        .set(CONSOLE_SESSION.ACCESS_TIME, now).set(CONSOLE_SESSION.LAST_ACCESS_TIME, now).set(CONSOLE_SESSION.CREATE_TIME, now)
                        .set(CONSOLE_SESSION.COOKIE_TIME, 0L).set(CONSOLE_SESSION.LAST_SAVED_TIME, now)
                        .set(CONSOLE_SESSION.EXPIRY_TIME, now + 3_600_000).set(CONSOLE_SESSION.MAX_INTERVAL, 1_800_000L).execute();
                var done = ModprepProcess.run("--data", data.toString(), "backup", "--to", backup.toString());
                assertEquals(0, done.exitCode(), done.output());
                assertTrue(done.out().startsWith("Backed up the database of " + data + " to " + backup), done.output());
                byte[] first = Files.readAllBytes(backup);

                var again = ModprepProcess.run("--data", data.toString(), "backup", "--to", backup.toString());
                assertEquals(3, again.exitCode(), again.output());
                assertEquals("the file " + backup + " exists: name another, or add --force to replace it", again.err().strip());
                assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(backup)), "the backup there is left as it was");

                var overLive = ModprepProcess.run("--data", data.toString(), "restore", "--from", backup.toString(), "--force");
                assertEquals(3, overLive.exitCode(), overLive.output());
                assertTrue(overLive.err().startsWith("the data folder " + data + " is in use by another modprep process (a server (pid "
                        + server.process.pid()), overLive.output());
                assertEquals(RunStatus.RUNNING, database.dsl().select(PREPARATION_RUN.STATUS).from(PREPARATION_RUN).fetchOne().value1(),
                        "the run was in progress all along");
            }
            var restore = ModprepProcess.run("--data", restored.toString(), "restore", "--from", backup.toString());
            assertEquals(0, restore.exitCode(), restore.output());
            assertTrue(restore.out().startsWith("Restored " + backup + " into " + restored + ": 60 modules, 1 runs, 1 users, "), restore.output());
            assertEquals(accountsAndCode(data), accountsAndCode(restored), "users, applications and uploaded code as they were");
        }
        assertTrue(Files.exists(data.resolve("modprep.mv.db")), "the refused restore left the live database in place");

        // The restored folder holds the run as it was when the backup was taken: in progress.
        ModprepProcess.read(restored, dsl -> {
            assertEquals(60, dsl.fetchCount(MODULE));
            assertEquals(0, dsl.fetchCount(CONSOLE_SESSION), "a restore signs everyone out: the backup's sessions are not brought back");
            assertEquals(RunStatus.RUNNING, dsl.select(PREPARATION_RUN.STATUS).from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(1L)).fetchOne().value1());
            assertEquals(runModules, dsl.fetchCount(RUN_MODULE, RUN_MODULE.RUN_ID.eq(1L)));
            var audit = dsl.select(AUDIT_EVENT.ACTION, AUDIT_EVENT.OUTCOME).from(AUDIT_EVENT).orderBy(AUDIT_EVENT.ID).fetch()
                    .map(r -> r.value1() + " " + r.value2());
            assertTrue(audit.contains("upgrade succeeded"), audit.toString());
            assertEquals("restore succeeded", audit.get(audit.size() - 1), "the restore is audited in the database it restored");
            return null;
        });
        // ... and works on: a command takes the run over and finishes it (the demo's findByName callers fail on 11.17.0).
        var finish = ModprepProcess.run("--data", restored.toString(), "prepare", "--follow");
        assertEquals(1, finish.exitCode(), finish.output());
        assertTrue(finish.out().contains("Run #1 finished with errors"), finish.output());

        // Over a database, only with --force, which keeps the replaced one aside.
        var refused = ModprepProcess.run("--data", restored.toString(), "restore", "--from", backup.toString());
        assertEquals(3, refused.exitCode(), refused.output());
        var forced = ModprepProcess.run("--data", restored.toString(), "restore", "--from", backup.toString(), "--force");
        assertEquals(0, forced.exitCode(), forced.output());
        List<Path> aside;
        try (var files = Files.list(restored)) {
            aside = files.filter(f -> f.getFileName().toString().startsWith("replaced-")).toList();
        }
        assertEquals(1, aside.size());
        assertTrue(Files.size(aside.get(0).resolve("modprep.mv.db")) > 0);
        assertEquals(RunStatus.FAILED, readRunStatus(aside.get(0)), "the database replaced, the one whose run was finished, is kept");
        assertEquals(RunStatus.RUNNING, readRunStatus(restored), "the folder holds the backup again");

        // Not a backup: refused, and nothing changes.
        var notZip = ModprepProcess.run("--data", dir.resolve("other").toString(), "restore", "--from", env.resolve("environment.properties").toString());
        assertEquals(2, notZip.exitCode(), notZip.output());
        assertTrue(notZip.err().contains("is not a modprep backup"), notZip.output());
        assertTrue(Files.notExists(dir.resolve("other").resolve("modprep.mv.db")));
    }

    private static RunStatus readRunStatus(Path data) {
        return ModprepProcess.read(data, dsl -> dsl.select(PREPARATION_RUN.STATUS).from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(1L)).fetchOne().value1());
    }
}
