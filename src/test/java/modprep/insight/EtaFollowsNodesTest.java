package modprep.insight;

import static modprep.db.schema.Tables.COMPILATION;
import static modprep.db.schema.Tables.COMPILE_BATCH;
import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.WORKER_PROCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import modprep.db.ProcessOwner;
import modprep.preparation.GroupDriver;
import modprep.preparation.WorkerKind;
import modprep.readmodel.NodeQueries;
import modprep.status.BatchStatus;
import modprep.status.NodeActivity;
import modprep.testing.TestEnvironment;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * I1 with P14, on the database: the estimate counts the nodes that compiled the run's batches
 * (compile_batch) and the nodes live now (worker_process heartbeats within the lease-timeout, on the
 * database's clock), so a node whose heartbeat is fresh shortens the compiling left and one gone stale
 * does not. Every estimate is made as at the same moment: only the rows differ.
 */
class EtaFollowsNodesTest {
    @TempDir
    Path dir;

    private static Duration hours(double h) {
        return Duration.ofMinutes(Math.round(h * 60));
    }

    private static void node(DSLContext dsl, String name, OffsetDateTime heartbeat, NodeActivity activity) {
        var w = WORKER_PROCESS;
        dsl.deleteFrom(w).where(w.OWNER.eq(name)).execute();
        dsl.insertInto(w).set(w.OWNER, name).set(w.KIND, WorkerKind.SERVER.code()).set(w.HOST, name + ".example").set(w.PID, 1L)
                .set(w.STARTED_AT, heartbeat).set(w.HEARTBEAT_AT, heartbeat).set(w.ACTIVITY, activity.code()).execute();
    }

    private static void batch(DSLContext dsl, long runId, int seq, String node, OffsetDateTime claimed, OffsetDateTime finished) {
        var b = COMPILE_BATCH;
        dsl.insertInto(b).set(b.RUN_ID, runId).set(b.SEQ, seq).set(b.ROUND, 1).set(b.MODULES, "M" + seq).set(b.MODULE_COUNT, 1)
                .set(b.STATUS, BatchStatus.DONE).set(b.PLANNED_AT, claimed).set(b.CLAIMED_AT, claimed).set(b.FINISHED_AT, finished)
                .set(b.COMPILED_BY, node).set(b.MILLIS, 1_000L).set(b.FAILED_COUNT, 0).execute();
    }

    @Test
    void fresh_and_stale_heartbeats_of_the_nodes_change_how_long_the_compiling_left_takes_I1_P14() throws Exception {
        var env = new TestEnvironment("11.16.1").module("A").module("B").module("C").module("D").module("E").module("F");
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(env.write(dir.resolve("env")), "test");
            TestEnvironment.setGroupSize(app, 1);
            long runId = app.preparations().upgrade("11.17.0", "alice").runId();
            var driver = new GroupDriver(app, runId);
            assertTrue(driver.prepare(1, GroupDriver.StopAfter.NOTHING));
            var dsl = app.database().dsl();
            // A run an hour in, whose second group's compiling took that hour: the compiling left (four groups)
            // dwarfs the groups' own cost. Group 1's compilation is the run's first, at its start; the import's
            // move back further, out of the run.
            var started = dsl.select(PREPARATION_RUN.STARTED_AT).from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(runId)).fetchOne().value1();
            dsl.update(COMPILATION).set(COMPILATION.COMPILED_AT, COMPILATION.COMPILED_AT.minus(DayToSecond.valueOf(hours(2))))
                    .where(COMPILATION.COMPILED_AT.lt(started)).execute();
            dsl.update(COMPILATION).set(COMPILATION.COMPILED_AT, started.minus(hours(1))).where(COMPILATION.COMPILED_AT.ge(started)).execute();
            dsl.update(PREPARATION_RUN).set(PREPARATION_RUN.STARTED_AT, started.minus(hours(1))).where(PREPARATION_RUN.ID.eq(runId)).execute();
            // The import's pace, far faster, would count for the compiling left: an environment imported before it was kept.
            dsl.update(ENVIRONMENT).setNull(ENVIRONMENT.IMPORT_COMPILE_MS).setNull(ENVIRONMENT.IMPORT_SOURCE_FILES).execute();
            assertTrue(driver.prepare(2, GroupDriver.StopAfter.NOTHING));
            dsl.deleteFrom(WORKER_PROCESS).execute();

            var dbNow = dsl.select(DSL.currentOffsetDateTime()).fetchOne().value1();
            batch(dsl, runId, 1, "node-a", dbNow.minus(hours(0.9)), dbNow.minus(hours(0.2)));
            node(dsl, "node-a", dbNow, NodeActivity.IDLE);
            var insights = new Insights(app.database(), null);
            Instant at = Instant.now();

            var alone = insights.eta(runId, at);
            assertEquals(1, alone.nodes());
            assertNull(alone.nodesText(), "one node all along");
            long oneNode = alone.remainingMs();
            assertTrue(oneNode > hours(3.9).toMillis(), "four groups' compiling at an hour each: " + alone.remainingText());

            node(dsl, "node-b", dbNow, NodeActivity.IDLE);
            var joined = insights.eta(runId, at);
            assertEquals(2, joined.nodes());
            assertTrue(joined.remainingOnNodes().endsWith(" on 2 nodes"), joined.remainingOnNodes());
            assertEquals(0.5, (double) joined.remainingMs() / oneNode, 0.01, "node-b joined: the compiling left is shared by two");

            node(dsl, "node-b", dbNow.minus(hours(1)), NodeActivity.IDLE);
            assertEquals(oneNode, insights.eta(runId, at).remainingMs(), "node-b's heartbeat is stale: it counts for nothing");
            node(dsl, "node-b", dbNow, NodeActivity.STOPPED);
            assertEquals(oneNode, insights.eta(runId, at).remainingMs(), "node-b stopped (L4): it compiles nothing");
            var ended = new ProcessBuilder("true").start();
            ended.waitFor();
            node(dsl, "node-b", dbNow, NodeActivity.IDLE);
            dsl.update(WORKER_PROCESS).set(WORKER_PROCESS.HOST, ProcessOwner.hostName()).set(WORKER_PROCESS.PID, ended.pid())
                    .where(WORKER_PROCESS.OWNER.eq("node-b")).execute();
            assertEquals(oneNode, insights.eta(runId, at).remainingMs(),
                    "node-b's process on this machine is gone (killed): its heartbeat is fresh, it counts for nothing");
            assertEquals(1, new NodeQueries(dsl).live(Duration.ofHours(1)));
            node(dsl, "node-b", dbNow, NodeActivity.STOPPED);

            // node-b compiled beside node-a all the while, then left: the rate measured on two is now one's.
            batch(dsl, runId, 2, "node-b", dbNow.minus(hours(0.9)), dbNow.minus(hours(0.2)));
            assertEquals(2.0, new NodeQueries(dsl).compiledOn(runId), 1e-9);
            var left = insights.eta(runId, at);
            assertEquals(1, left.nodes());
            assertTrue(left.remainingOnNodes().endsWith(" on 1 node"), left.remainingOnNodes());
            assertEquals(2.0, (double) left.remainingMs() / oneNode, 0.02, "node-b left: one node compiles what two did");
        }
    }
}
