package modprep.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P12 on the embedded database, opened as modprep opens a data folder's ({@link H2Folder#url}, WRITE_DELAY=0): a process killed with SIGKILL while
 * several of its threads commit, one of them storing a megabyte at a time, keeps every commit a writer
 * was told of. Another session may see a commit a moment before it is on disk (H2 makes a transaction
 * visible as it starts to commit): a process killed then leaves the file one commit behind what that
 * reader saw, as RandomKillsIT's probe has seen once. The child is {@link #main}, in its own JVM.
 */
class H2CommitsSurviveKillIT {
    private static final int KILLS = 5;
    private static final int WRITERS = 2;

    @TempDir
    Path dir;

    @Test
    void every_commit_a_writer_was_told_of_survives_sigkill_P12() throws Exception {
        Path folder = dir.resolve("data");
        var random = new Random(20261201L);
        int readAhead = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            Path errors = dir.resolve("child-" + kill + ".err");
            var child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), H2CommitsSurviveKillIT.class.getName(), url(folder))
                    .redirectError(errors.toFile()).start();
            try {
                var written = new HashMap<Integer, Integer>();
                var read = new HashMap<Integer, Integer>();
                var reader = new Thread(() -> readLines(child, written, read));
                reader.start();
                // Its start may wait for the lock file the previous child left (H2 tells a dead holder after a few seconds).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (committed(written) < WRITERS && System.nanoTime() < deadline && child.isAlive()) {
                    Thread.sleep(10);
                }
                assertEquals(WRITERS, committed(written), "each writer committed before kill " + kill + "; the child said: "
                        + java.nio.file.Files.readString(errors));
                Thread.sleep(random.nextInt(1_000)); // at a moment no one chooses
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                reader.join();
                var onDisk = onDisk(folder);
                synchronized (written) {
                    for (var w : written.entrySet()) {
                        assertTrue(onDisk.getOrDefault(w.getKey(), 0) >= w.getValue(),
                                "kill " + kill + ": writer " + w.getKey() + " was told of commit " + w.getValue() + ", the file keeps " + onDisk);
                    }
                    readAhead += read.entrySet().stream().anyMatch(r -> onDisk.getOrDefault(r.getKey(), 0) < r.getValue()) ? 1 : 0;
                }
            } finally {
                child.destroyForcibly(); // a failed check leaves no child writing on
            }
        }
        System.out.println("H2 COMMITS: " + KILLS + " kills, every commit a writer was told of kept; a reader had seen a commit the file "
                + "did not keep after " + readAhead + " of them");
    }

    private static int committed(Map<Integer, Integer> written) {
        synchronized (written) {
            return written.size();
        }
    }

    /** The URL modprep opens a data folder's database with. */
    private static String url(Path folder) {
        return H2Folder.url(folder);
    }

    private static void readLines(Process child, Map<Integer, Integer> written, Map<Integer, Integer> read) {
        try (var in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                var f = line.split(" ");
                if (f.length != 3) {
                    continue; // the last line, cut by the kill
                }
                synchronized (written) {
                    (f[0].equals("W") ? written : read).merge(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Math::max);
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // the pipe closed with the child
        }
    }

    private static Map<Integer, Integer> onDisk(Path folder) throws Exception {
        var seqs = new HashMap<Integer, Integer>();
        try (Connection c = DriverManager.getConnection(H2Folder.urlAlone(folder), "sa", "")) {
            var rows = c.createStatement().executeQuery("SELECT writer, seq FROM h");
            while (rows.next()) {
                seqs.put(rows.getInt(1), rows.getInt(2));
            }
        }
        return seqs;
    }

    /**
     * The child: writers that each commit their next number and then say so, a thread that stores 1 MB at a
     * time (long stores, as a batch of jars), and a reader that says what it sees, as a console or a probe.
     */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS h(writer INT PRIMARY KEY, seq INT)");
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS big(id INT PRIMARY KEY, b VARBINARY(4000000))");
        }
        var out = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            daemon(() -> {
                try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                    c.setAutoCommit(false);
                    var last = c.createStatement().executeQuery("SELECT COALESCE(MAX(seq), 0) FROM h WHERE writer = " + writer);
                    last.next();
                    int seq = last.getInt(1);
                    var merge = c.prepareStatement("MERGE INTO h KEY(writer) VALUES(?, ?)");
                    while (true) {
                        merge.setInt(1, writer);
                        merge.setInt(2, ++seq);
                        merge.executeUpdate();
                        c.commit();
                        synchronized (out) {
                            out.println("W " + writer + " " + seq);
                        }
                    }
                }
            });
        }
        daemon(() -> {
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                var random = new Random();
                var merge = c.prepareStatement("MERGE INTO big KEY(id) VALUES(?, ?)");
                for (int i = 0; ; i++) {
                    byte[] bytes = new byte[1_000_000];
                    random.nextBytes(bytes); // incompressible: a long write
                    merge.setInt(1, i % 4);
                    merge.setBytes(2, bytes);
                    merge.executeUpdate();
                }
            }
        });
        daemon(() -> {
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                var query = c.prepareStatement("SELECT writer, seq FROM h");
                while (true) {
                    var rows = query.executeQuery();
                    var seen = new StringBuilder();
                    while (rows.next()) {
                        seen.append("R ").append(rows.getInt(1)).append(' ').append(rows.getInt(2)).append('\n');
                    }
                    synchronized (out) {
                        out.print(seen);
                        out.flush();
                    }
                }
            }
        });
        Thread.sleep(120_000); // killed long before, unless its test failed
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void daemon(Work work) {
        var thread = new Thread(() -> {
            try {
                work.run();
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        thread.setDaemon(true);
        thread.start();
    }
}
