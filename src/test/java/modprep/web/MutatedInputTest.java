package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.db.schema.DefaultSchema;
import modprep.testing.DatabaseDump;
import modprep.testing.FolderTree;
import modprep.testing.Mutations;
import modprep.testing.Mutations.Expect;
import modprep.testing.Mutations.Mutant;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: over ten thousand seeded random mutations of a small valid environment folder, of a module's
 * archive and of its properties files, fed in process to import and to upload (as the console's upload
 * does it), and a sample of the archives through the console itself. A mutation still valid is stored;
 * every other is refused as bad input (400) with a message naming what was wrong, never an internal
 * error (500) or a stack trace, and leaves every table but the audit and the sign-in counters as it was.
 * One in-memory database serves every case; MutatedImportIT feeds a few to real {@code modprep import}
 * processes.
 */
class MutatedInputTest {
    private static final long SEED = Mutations.SEED;
    private static final int ENVIRONMENTS = 1_500;
    private static final int ARCHIVES = 4_500;
    private static final int PROPERTIES = 4_000;
    /** Every this many archive and properties cases also goes through the console's upload form. */
    private static final int THROUGH_THE_CONSOLE = 40;

    @TempDir
    Path dir;

    /** How a case ended, as the console answers it: a status and the message (for a 500, the stack trace). */
    private record Answer(int status, String message) {
        static Answer of(Callable<?> work) {
            try {
                work.call();
                return new Answer(200, null);
            } catch (ModprepException e) {
                return new Answer(switch (e.kind()) {
                    case BAD_INPUT -> 400;
                    case NOT_FOUND -> 404;
                    case REFUSED -> 409;
                }, e.getMessage());
            } catch (Exception e) {
                var trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                return new Answer(500, trace.toString());
            }
        }
    }

    /** What the cases came to, and every case that broke a rule (the first few, in full). */
    private static final class Tally {
        int cases;
        int stored;
        int refused;
        int compiledAndStored;
        int refusedByTheCompiler;
        int refusedBeforeCompiling;
        final Map<Expect, Integer> expected = new java.util.EnumMap<>(Expect.class);
        long started = System.nanoTime();
        long millis;
        final List<String> problems = new ArrayList<>();

        Tally done() {
            millis = (System.nanoTime() - started) / 1_000_000;
            return this;
        }

        void problem(Mutant mutant, String what) {
            if (problems.size() < 25) {
                problems.add(mutant + ": " + what);
            }
        }
    }

    private static Map<String, String> state(Modprep app) {
        var dump = DatabaseDump.of(app);
        dump.remove("audit_event");
        dump.remove("sign_in_failure");
        return dump;
    }

    /** Checks one case's answer against what should have become of it; returns whether it was stored. */
    private static boolean check(Mutant mutant, Answer answer, Tally tally) {
        tally.cases++;
        tally.expected.merge(mutant.expect(), 1, Integer::sum);
        if (answer.status() == 500) {
            tally.problem(mutant, "500, an internal error:\n" + answer.message());
            return false;
        }
        if (answer.status() == 200) {
            tally.stored++;
            if (mutant.expect() == Expect.INVALID) {
                tally.problem(mutant, "stored, but it should have been refused");
            }
            return true;
        }
        tally.refused++;
        String message = answer.message();
        if (answer.status() != 400) {
            tally.problem(mutant, answer.status() + " (not 400): " + message);
        } else if (mutant.expect() == Expect.VALID) {
            tally.problem(mutant, "refused, but it is valid: " + message);
        } else if (mutant.fragment() != null && !message.contains(mutant.fragment())) {
            tally.problem(mutant, "the message does not say '" + mutant.fragment() + "': " + message);
        } else if (!(message.contains("module ") || message.contains("environment") || message.contains("archive")
                || message.contains("upload"))) {
            tally.problem(mutant, "the message names no module, file or archive: " + message);
        } else if (message.contains("\tat ") || message.matches("(?s).*\\b(java|javax|jdk|org)\\.[a-z.]+[A-Z]\\w*(Exception|Error)\\b.*")) {
            tally.problem(mutant, "the message shows an exception: " + message);
        }
        return false;
    }

    @Test
    void ten_thousand_mutated_folders_archives_and_properties_are_stored_when_valid_and_otherwise_refused_with_a_message_changing_nothing()
            throws IOException {
        Path scratch = scratch();
        try {
            run(scratch);
        } finally {
            FolderTree.delete(scratch);
        }
    }

    /**
     * Where the cases' folders are written: in memory when the machine has a RAM disk (on this test's disk,
     * creating and deleting a dozen small files took 12 ms, in /dev/shm 0.3 ms), else in the test's folder.
     */
    private Path scratch() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return Files.createTempDirectory(shm, "modprep-mutations");
        }
        return Files.createTempDirectory(dir, "mutations");
    }

    private static void run(Path scratch) throws IOException {
        var mutations = new Mutations(SEED, scratch);
        var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStarted = cpu.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        var environments = new Tally();
        var archives = new Tally();
        var properties = new Tally();
        try (var app = TestEnvironment.newModprep()) {
            // Environment folders, imported into the empty database; one that was stored is emptied again.
            var empty = state(app);
            Path folder = scratch.resolve("environment");
            for (int i = 0; i < ENVIRONMENTS; i++) {
                var mutant = mutations.environment(i);
                mutant.tree().writeTo(folder);
                var answer = Answer.of(() -> app.importer().importFolder(folder, "fuzz"));
                boolean stored = check(mutant, answer, environments);
                if (stored) {
                    environments.compiledAndStored++;
                    empty(app);
                } else if (answer.message() != null && answer.message().contains("does not compile with")) {
                    environments.refusedByTheCompiler++;
                } else {
                    environments.refusedBeforeCompiling++;
                }
                if (!stored && answer.status() != 500 && !state(app).equals(empty)) {
                    environments.problem(mutant, "refused, but the database changed");
                    empty(app);
                }
            }

            // Archives of module Api and its properties files, uploaded into the demo environment.
            environments.done();
            app.importer().importFolder(writeDemo(mutations, scratch), "setup");
            archives.started = System.nanoTime();
            upload(app, mutations::archive, ARCHIVES, archives, scratch);
            archives.done();
            properties.started = System.nanoTime();
            upload(app, mutations::properties, PROPERTIES, properties, scratch);
            properties.done();
        }
        long inProcess = (System.nanoTime() - started) / 1_000_000;
        long inProcessCpu = (cpu.getCurrentThreadCpuTime() - cpuStarted) / 1_000_000;
        var console = throughTheConsole(mutations, scratch);

        String summary = String.format("seed %d, %d cases in process in %.1f s (%.1f s of CPU): environments %s; archives %s; properties %s; "
                        + "through the console: %d (%d stored)", SEED, environments.cases + archives.cases + properties.cases,
                inProcess / 1000.0, inProcessCpu / 1000.0, line(environments), line(archives), line(properties), console.cases, console.stored);
        System.out.println(summary);
        var problems = new ArrayList<String>();
        for (var tally : List.of(environments, archives, properties, console)) {
            problems.addAll(tally.problems);
        }
        assertEquals(List.of(), problems, summary);
        assertTrue(environments.cases + archives.cases + properties.cases >= 10_000, summary);
        assertTrue(environments.refusedBeforeCompiling > 0 && environments.compiledAndStored > 0 && environments.refusedByTheCompiler > 0,
                "environments refused before compiling, compiled and stored, and refused by the compiler all occurred: " + summary);
        for (var tally : List.of(archives, properties, console)) {
            assertTrue(tally.stored > 0 && tally.refused > 0, "some stored, some refused: " + summary);
        }
    }

    private static String line(Tally tally) {
        return tally.cases + " " + tally.expected + " (" + tally.stored + " stored" + (tally.compiledAndStored > 0 ? " after compiling" : "") + ", "
                + tally.refused + " refused" + (tally.refusedByTheCompiler > 0 ? ", " + tally.refusedByTheCompiler + " of them by the compiler" : "")
                + ", " + tally.millis / 1000 + " s)";
    }

    private static Path writeDemo(Mutations mutations, Path scratch) {
        Path demo = scratch.resolve("demo-environment");
        mutations.environment().writeTo(demo);
        return demo;
    }

    /** Uploads each case's archive as module Api, as the console's upload does (ModulesController.upload). */
    private static void upload(Modprep app, IntFunction<Mutant> cases, int count, Tally tally, Path scratch) throws IOException {
        var before = state(app);
        for (int i = 0; i < count; i++) {
            var mutant = cases.apply(i);
            Path temp = Files.createTempDirectory(scratch, "upload");
            var answer = Answer.of(() -> {
                var extracted = ModuleArchive.extract(new ByteArrayInputStream(mutant.archive()), "Api", temp);
                return app.uploader().upload(extracted, "fuzz");
            });
            FolderTree.delete(temp);
            if (check(mutant, answer, tally)) {
                before = state(app);
            } else if (answer.status() != 500 && !state(app).equals(before)) {
                tally.problem(mutant, "refused, but the database changed");
                before = state(app);
            }
        }
    }

    /** Every {@value #THROUGH_THE_CONSOLE}th archive and properties case, through the console's upload form. */
    private static Tally throughTheConsole(Mutations mutations, Path scratch) {
        var tally = new Tally();
        try (var server = new ConsoleServer(Mutations.DEMO, scratch.resolve("console-environment"))) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            admin.get("/modules/Api");
            for (IntFunction<Mutant> cases : List.<IntFunction<Mutant>>of(mutations::archive, mutations::properties)) {
                for (int i = 0; i < Math.min(ARCHIVES, PROPERTIES); i += THROUGH_THE_CONSOLE) {
                    var mutant = cases.apply(i);
                    var before = server.state();
                    var answer = admin.upload("/modules/Api/upload", Map.of(), "Api.zip", mutant.archive());
                    if (answer.status() != 302) {
                        check(mutant, new Answer(answer.status() >= 500 ? 500 : answer.status(), answer.body()), tally);
                        continue;
                    }
                    String flash = admin.flashAfter(answer);
                    boolean stored = flash != null && flash.startsWith("Uploaded Api: code version ");
                    check(mutant, stored ? new Answer(200, null) : new Answer(400, flash), tally);
                    if (!stored && !server.state().equals(before)) {
                        tally.problem(mutant, "refused, but the database changed");
                    }
                }
            }
        }
        return tally.done();
    }

    /** Empties every table (the schema stays), as before the first import. */
    private static void empty(Modprep app) {
        var dsl = app.database().dsl();
        dsl.execute("SET REFERENTIAL_INTEGRITY FALSE");
        try {
            for (var table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
                dsl.truncate(table).restartIdentity().execute();
            }
        } finally {
            dsl.execute("SET REFERENTIAL_INTEGRITY TRUE");
        }
    }
}
