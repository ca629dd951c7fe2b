package modprep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import modprep.testing.ModprepProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, item 6: a data folder that cannot be created or written, and a disk that fills up, give one
 * clear line and a non-zero exit code, never a stack trace; and once there is room again the data folder
 * works, with nothing half stored. Tests run as root, whom file permissions do not stop: an unwritable
 * folder is a path under a regular file, or a read-only tmpfs; a full disk is a tiny tmpfs, or, where
 * mounting is not allowed, a file size limit ({@code ulimit -f}) on the child process. A heap too small
 * for the run is the child's {@code -Xmx}.
 */
class DataFolderFaultsIT {
    private static final String PASSWORD = "faults faults faults";

    @TempDir
    static Path dir;

    private static Path env;

    @BeforeAll
    static void demo() {
        env = dir.resolve("env");
        assertEquals(0, ModprepProcess.run("demo", "--out", env.toString(), "--modules", "40").exitCode());
    }

    /** The command ended with this exit code and said exactly one line on stderr, which contains every text given. */
    private static String oneClearLine(ModprepProcess.Done done, int exitCode, String... texts) {
        assertEquals(exitCode, done.exitCode(), done.output());
        assertFalse(done.err().contains("\tat ") || done.out().contains("\tat "), "no stack trace: " + done.output());
        var lines = done.err().strip().lines().toList();
        assertEquals(1, lines.size(), "one line: " + done.output());
        assertTrue(lines.get(0).startsWith("modprep: "), lines.get(0));
        for (String text : texts) {
            assertTrue(lines.get(0).contains(text), "'" + text + "' in: " + lines.get(0));
        }
        return lines.get(0);
    }

    private static List<String[]> commands(String data) {
        return List.of(new String[] {"--data", data, "import", env.toString()}, new String[] {"--data", data, "status"},
                new String[] {"--data", data, "upgrade", "--to", "11.17.0"}, new String[] {"--data", data, "serve", "--port", "0"});
    }

    @Test
    void a_data_folder_whose_path_runs_through_a_regular_file_is_refused_at_start_with_one_clear_line() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        for (String[] command : commands(file.resolve("data").toString())) {
            oneClearLine(ModprepProcess.run(command), ExitCodes.BAD_INPUT, "cannot create the data folder " + file.resolve("data"),
                    "a part of its path is a file, not a folder");
        }
        oneClearLine(ModprepProcess.run("--data", file.toString(), "status"), ExitCodes.BAD_INPUT,
                "cannot create the data folder " + file, "a file of that name is in the way");
        assertEquals("not a folder", Files.readString(file), "the file in the way is untouched");
    }

    @Test
    void a_disk_that_fills_up_gives_one_clear_line_and_once_there_is_room_the_data_folder_works_with_nothing_half_stored() {
        // A file size limit on the child: its database cannot grow past 1000 KiB, the import needs more.
        String data = dir.resolve("limited").toString();
        var limited = ModprepProcess.run(ModprepProcess.commandAfter("ulimit -f 1000", "--data", data, "import", env.toString()));
        oneClearLine(limited, ExitCodes.ERROR, "could not write to the data folder " + data, "File too large",
                "the disk is full, or a file size limit was reached");
        var empty = ModprepProcess.run("--data", data, "status");
        assertEquals(ExitCodes.NOT_FOUND, empty.exitCode(), "the import was all or nothing: " + empty.output());
        assertTrue(empty.err().contains("this data folder holds no environment yet"), empty.output());
        var again = ModprepProcess.run("--data", data, "import", env.toString());
        assertEquals(0, again.exitCode(), "with room, the same data folder takes the import: " + again.output());

        // The server on an empty data folder imports its demo first: with no room, it says so and stops.
        var serve = ModprepProcess.commandAfter("ulimit -f 300", "--data", dir.resolve("limited-serve").toString(), "serve", "--port", "0");
        serve.environment().put("MODPREP_ADMIN_PASSWORD", PASSWORD);
        oneClearLine(ModprepProcess.run(serve), ExitCodes.ERROR, "could not write to the data folder", "File too large");
    }

    /** Mounts a tmpfs (root only, and not in every container); false when it cannot. */
    private static boolean mount(Path at, String options) throws Exception {
        Files.createDirectories(at);
        var mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString()).redirectErrorStream(true).start();
        return mount.waitFor() == 0;
    }

    private static void unmount(Path at) throws Exception {
        if (new ProcessBuilder("umount", at.toString()).start().waitFor() != 0) {
            new ProcessBuilder("umount", "-l", at.toString()).start().waitFor();
        }
    }

    @Test
    void on_a_full_tmpfs_and_a_read_only_one_commands_give_one_clear_line() throws Exception {
        Path full = dir.resolve("full-disk");
        Assumptions.assumeTrue(mount(full, "size=1m"), "mounting a tmpfs needs root and a container that allows it");
        try {
            // Room to create the database, not to import 40 modules into it: the disk fills up mid-import.
            String data = full.resolve("data").toString();
            oneClearLine(ModprepProcess.run("--data", data, "import", env.toString()), ExitCodes.ERROR,
                    "could not write to the data folder " + data, "No space left on device");
            // Now full: a server cannot even create its database, and says so at once, from the free space it
            // measured before opening the pool (which would retry for 30 s on an error waiting does not cure).
            var serve = ModprepProcess.command("--data", full.resolve("served").toString(), "serve", "--port", "0");
            serve.environment().put("MODPREP_ADMIN_PASSWORD", PASSWORD);
            oneClearLine(ModprepProcess.run(serve), ExitCodes.ERROR, "could not write to the data folder", "No space left on device (",
                    " KiB free)");
        } finally {
            unmount(full);
        }
        Path readOnly = dir.resolve("read-only");
        Assumptions.assumeTrue(mount(readOnly, "size=1m,ro"), "mounting a tmpfs needs root and a container that allows it");
        try {
            for (String[] command : commands(readOnly.resolve("data").toString())) {
                oneClearLine(ModprepProcess.run(command), ExitCodes.BAD_INPUT, "cannot create the data folder", "Read-only file system");
            }
            oneClearLine(ModprepProcess.run("--data", readOnly.toString(), "status"), ExitCodes.BAD_INPUT,
                    "the data folder " + readOnly + " is not writable");
        } finally {
            unmount(readOnly);
        }
    }

    @Test
    void a_heap_too_small_for_the_run_stops_the_command_with_one_clear_line_and_prepare_goes_on_with_the_run() {
        String data = dir.resolve("small-heap").toString();
        assertEquals(0, ModprepProcess.run("--data", data, "import", env.toString()).exitCode());
        // 20 MB opens the database and starts the run; javac then runs out of room (the launcher reads JAVA_OPTS). The
        // collector and the compile threads as on this two-core machine, so that another machine runs out where it does.
        var command = ModprepProcess.command("--data", data, "upgrade", "--to", "11.17.0", "--follow");
        command.environment().put("JAVA_OPTS", "-Xmx20m -XX:+UseG1GC -XX:ActiveProcessorCount=2");
        var stopped = ModprepProcess.run(command);
        String line = oneClearLine(stopped, ExitCodes.ERROR, "modprep: out of memory (Java heap space): the command stops.",
                "What was committed is kept", "Give it a larger heap than its ", "JAVA_OPTS=-Xmx256m");
        assertFalse(stopped.output().contains("Please file a bug"), "javac's report of a bug is not what happened: " + stopped.output());
        assertTrue(stopped.out().contains("Preparation run #1"), "it ran out of room during the run: " + stopped.output());

        // The run is not marked failed for the heap: it is still in progress, and goes on to its end (as after a
        // SIGKILL, which ResumeAfterKillIT and RandomKillsIT show to end exactly as an uninterrupted run).
        var resumed = ModprepProcess.run("--data", data, "prepare", "--follow");
        assertEquals(ExitCodes.FAILED, resumed.exitCode(), line + "\n" + resumed.output());
        assertTrue(resumed.out().startsWith("Preparation run #1 is in progress; following it."), resumed.output());
        assertTrue(resumed.out().contains("prepared, 1 failed, 8 blocked by them, 0 pending."), resumed.output());
    }
}
