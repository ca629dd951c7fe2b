package modprep.preparation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import modprep.readmodel.RunView;
import modprep.status.PreparationMode;
import modprep.status.RunStatus;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpgradeEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void upgrading_to_11_17_0_fails_exactly_the_findByName_callers_blocks_their_consumers_and_Prepare_then_succeeds() {
        var env = new TestEnvironment("11.16.1")
                .module("Core")
                .failing("Legacy", "Core")
                .module("UsesLegacy", "Legacy")
                .module("UsesUsesLegacy", "UsesLegacy", "Core")
                .module("Independent", "Core")
                .uploaded("Draft", "Core");
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            var started = app.preparations().upgrade("11.17.0", "alice");
            assertEquals(PreparationMode.PROGRESSIVE, started.mode());
            try (var worker = app.worker(WorkerKind.SERVER).start()) {
                var run = TestEnvironment.awaitEnd(app, started.runId(), Duration.ofSeconds(60));
                var byStatus = TestEnvironment.byStatus(run);
                assertEquals(RunStatus.FAILED, run.status());
                assertEquals(List.of("Legacy"), byStatus.get("failed"));
                assertEquals(List.of("UsesLegacy", "UsesUsesLegacy"), byStatus.get("blocked"));
                assertEquals(List.of("Core", "Independent"), byStatus.get("prepared"));
                assertEquals(List.of(new RunView.Exclusion("Draft", "only uploaded, never published successfully: nothing runs to prepare")),
                        run.excluded());
                var failure = run.groups().stream().flatMap(g -> g.modules().stream())
                        .filter(m -> m.name().equals("Legacy")).findFirst().orElseThrow();
                assertTrue(failure.diagnostics().contains("cannot find symbol"), failure.diagnostics());
                // I7: the failure says what replaces the API 11.17.0 removed.
                assertTrue(failure.diagnostics().contains("hint: Users.findByName was removed in 11.17.0: use Users.findByUsername instead"),
                        failure.diagnostics());

                app.uploader().upload(env.writeFix(dir.resolve("fixes"), "Legacy"), "bob");
                assertTrue(app.publisher().publish(List.of("Legacy"), "bob").allPublished());
                var retry = app.preparations().prepare("bob");
                worker.wake();
                var second = TestEnvironment.awaitEnd(app, retry.runId(), Duration.ofSeconds(60));
                assertEquals(RunStatus.SUCCEEDED, second.status());
                assertEquals(List.of("UsesLegacy", "UsesUsesLegacy"), TestEnvironment.byStatus(second).get("prepared"));
                assertNull(app.preparations().prepare("bob").runId(), "nothing is left to prepare");
            }
        }
    }
}
