package modprep.preparation;

import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.RUN_GROUP;
import static modprep.db.schema.Tables.RUN_MODULE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.environment.EnvironmentSnapshot;
import modprep.environment.ModuleGuard;
import modprep.platform.PlatformVersion;
import modprep.readmodel.RunQueries;
import modprep.status.RunStatus;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** I4: prioritising a module during a run, on the engine. */
class PrioritiseTest {
    @TempDir
    Path dir;

    /**
     * One module a group, most referenced first: Core (group 1), then A, B, C, D (one consumer each, ahead
     * of Lib by name), their consumers, Lib; Target waits on Lib alone, planned near the end.
     */
    private Modprep imported(String name) {
        var env = new TestEnvironment("11.16.1").module("Core")
                .module("A", "Core").module("B", "Core").module("C", "Core").module("D", "Core")
                .module("A2", "A").module("B2", "B").module("C2", "C").module("D2", "D")
                .module("Lib").module("Target", "Lib");
        var app = TestEnvironment.newModprep();
        app.importer().importFolder(env.write(dir.resolve(name)), "test");
        TestEnvironment.setGroupSize(app, 1);
        return app;
    }

    /** P8, the one rule: Target may be published once none of its producers is unprepared. */
    private static boolean targetPublishable(Modprep app) {
        var snapshot = EnvironmentSnapshot.load(app.database().dsl(), PlatformVersion.parseOrNull("11.17.0"));
        return ModuleGuard.unprepared(snapshot.module("Target").publishedProducers(), snapshot::isCurrent).isEmpty();
    }

    /** How many groups are done when Target becomes publishable, prioritising it after the first group or not. */
    private int groupsUntilTargetPublishable(Modprep app, boolean prioritise) {
        long runId = app.preparations().upgrade("11.17.0", "alice").runId();
        var driver = new GroupDriver(app, runId);
        var runs = new RunRepository(app.database().dsl());
        int done = 0;
        for (Integer seq = runs.nextGroup(runId); seq != null; seq = runs.nextGroup(runId)) {
            assertTrue(driver.prepare(seq, GroupDriver.StopAfter.NOTHING));
            done++;
            if (done == 1 && prioritise) {
                var moved = app.preparations().prioritise("Target", null, "bob");
                assertEquals(List.of("Lib", "Target"), moved.modules(), "Target and the producer it waits on");
                assertEquals(2, moved.firstGroup(), "next, right after the group done");
                producersFirst(app, runId);
            }
            if (targetPublishable(app)) {
                break;
            }
        }
        assertEquals(RunStatus.SUCCEEDED, driver.finish(), "the run still prepares everything");
        return done;
    }

    /** P6 kept: every module's producers are in earlier groups; every group has its five steps. */
    private static void producersFirst(Modprep app, long runId) {
        var dsl = app.database().dsl();
        Map<String, Integer> group = dsl.select(RUN_MODULE.MODULE_NAME, RUN_MODULE.GROUP_SEQ).from(RUN_MODULE)
                .where(RUN_MODULE.RUN_ID.eq(runId)).fetchMap(RUN_MODULE.MODULE_NAME, RUN_MODULE.GROUP_SEQ);
        var snapshot = EnvironmentSnapshot.load(dsl, PlatformVersion.parseOrNull("11.17.0"));
        group.forEach((module, seq) -> snapshot.module(module).publishedProducers().forEach(p ->
                assertTrue(group.get(p) < seq, p + " (group " + group.get(p) + ") before " + module + " (group " + seq + ")")));
        int groups = new RunQueries(dsl).run(runId, false).groupCount();
        assertEquals(groups, dsl.fetchCount(RUN_GROUP, RUN_GROUP.RUN_ID.eq(runId)));
        assertEquals(groups * GroupStep.ORDER.size(), dsl.fetchCount(GROUP_STEP, GROUP_STEP.RUN_ID.eq(runId)));
    }

    @Test
    void a_prioritised_module_becomes_publishable_earlier_than_without_and_producers_stay_first_I4_P6_P8() {
        int without;
        try (var app = imported("without")) {
            without = groupsUntilTargetPublishable(app, false);
        }
        int with;
        try (var app = imported("with")) {
            with = groupsUntilTargetPublishable(app, true);
            var priorities = new RunQueries(app.database().dsl()).priorities(1);
            assertEquals(1, priorities.size(), "shown with the run");
            assertEquals("module Target", priorities.get(0).target());
            assertEquals("bob", priorities.get(0).askedBy());
        }
        assertEquals(2, with, "Lib is prepared in group 2");
        assertTrue(with < without, "publishable after " + with + " groups prioritised, " + without + " without");
    }

    @Test
    void what_cannot_move_is_refused_with_its_reason_and_nothing_changes_I4() {
        try (var app = imported("refusals")) {
            var none = assertThrows(ModprepException.class, () -> app.preparations().prioritise("Target", null, "bob"));
            assertTrue(none.getMessage().contains("no preparation run is in progress"), none.getMessage());

            long runId = app.preparations().upgrade("11.17.0", "alice").runId();
            var driver = new GroupDriver(app, runId);
            assertTrue(driver.prepare(1, GroupDriver.StopAfter.NOTHING));
            var before = new RunQueries(app.database().dsl()).groups(runId, 1, Integer.MAX_VALUE);

            var prepared = assertThrows(ModprepException.class, () -> app.preparations().prioritise("Core", null, "bob"));
            assertTrue(prepared.getMessage().contains("Core (prepared already)"), prepared.getMessage());
            var missing = assertThrows(ModprepException.class, () -> app.preparations().prioritise("Nope", null, "bob"));
            assertEquals(ModprepException.Kind.NOT_FOUND, missing.kind());
            var noApp = assertThrows(ModprepException.class, () -> app.preparations().prioritise(null, "Nope", "bob"));
            assertEquals(ModprepException.Kind.NOT_FOUND, noApp.kind());
            assertEquals(before, new RunQueries(app.database().dsl()).groups(runId, 1, Integer.MAX_VALUE), "nothing changed");

            // The group in progress is not disturbed: its module cannot move.
            driver.prepare(2, GroupDriver.StopAfter.LOCK);
            String inProgress = new RunQueries(app.database().dsl()).groups(runId, 2, 2).get(0).modules().get(0).name();
            var locked = assertThrows(ModprepException.class, () -> app.preparations().prioritise(inProgress, null, "bob"));
            assertTrue(locked.getMessage().contains(inProgress + " (in group 2, which is being prepared now)"), locked.getMessage());
        }
    }
}
