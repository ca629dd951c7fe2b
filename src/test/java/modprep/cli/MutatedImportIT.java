package modprep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import modprep.testing.DatabaseDump;
import modprep.testing.ModprepProcess;
import modprep.testing.Mutations;
import modprep.testing.Mutations.Expect;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a few of MutatedInputTest's mutated environment folders, through real {@code modprep import}
 * processes: each ends with exit code 2 and a message naming what was wrong, no stack trace, and a data
 * folder holding nothing but the audit's record of the refusal.
 */
class MutatedImportIT {
    private static final int PROCESSES = 4;

    @TempDir
    Path dir;

    private static Map<String, String> withoutAudit(Map<String, String> dump) {
        dump.remove("audit_event");
        dump.remove("sign_in_failure");
        return dump;
    }

    @Test
    void refused_mutations_given_to_modprep_import_exit_with_2_naming_the_problem_and_store_nothing() {
        var mutations = new Mutations(Mutations.SEED, dir);
        Map<String, String> empty;
        try (var fresh = TestEnvironment.newModprep()) {
            empty = withoutAudit(DatabaseDump.of(fresh));
        }
        var kinds = new HashSet<String>();
        int run = 0;
        for (int i = 1; run < PROCESSES; i++) {
            var mutant = mutations.environment(i);
            // Refused ones with a known message, each of another kind of change.
            if (mutant.expect() != Expect.INVALID || !kinds.add(mutant.fragment())) {
                continue;
            }
            run++;
            Path folder = dir.resolve("case-" + i);
            Path data = dir.resolve("data-" + i);
            mutant.tree().writeTo(folder);
            var done = ModprepProcess.run("--data", data.toString(), "import", folder.toString());
            assertEquals(ExitCodes.BAD_INPUT, done.exitCode(), mutant + "\n" + done.output());
            assertTrue(done.err().contains(mutant.fragment()), mutant + "\n" + done.output());
            assertFalse(done.output().contains("\tat ") || done.output().contains("Exception"), "no stack trace: " + done.output());
            assertEquals(empty, withoutAudit(ModprepProcess.read(data, DatabaseDump::of)), mutant + ": nothing stored");
            System.out.println("modprep import, " + mutant + ": exit 2, " + done.err().strip());
        }
    }
}
