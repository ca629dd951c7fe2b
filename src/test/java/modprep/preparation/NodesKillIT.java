package modprep.preparation;

import static modprep.db.schema.Tables.COMPILE_BATCH;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import modprep.db.Database;
import modprep.status.BatchStatus;
import modprep.status.RunStatus;
import modprep.testing.KillSchedule;
import modprep.testing.ModprepProcess;
import modprep.testing.PostgresCluster;
import modprep.testing.ProgressProbe;
import modprep.testing.RunProgress;
import modprep.testing.Stall;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P12 and P14 on a farm: three {@code modprep serve} nodes on one PostgreSQL database drive an upgrade
 * run whose compile batches they share. One node is killed with SIGKILL while it holds a batch, and later
 * the run's owner at a point drawn from the run's progress ({@link KillSchedule}); the last node takes
 * over the batches and the run, and the run ends exactly as an uninterrupted one.
 *
 * <p>Each node runs in its own UTS namespace ({@code unshare -u}) under its own host name, resolved
 * through a hosts file of its own ({@code -Djdk.net.hosts.file}): to the others it is on another host,
 * so that its claims are freed only when its lease runs out, never because they see its process gone
 * (the same-host shortcut of {@code ProcessOwner.isGone}), as on a real farm.
 */
class NodesKillIT {
    private static final long SEED = Long.getLong("modprep.kills.seed", 20_261_129L);
    private static final String TO = "11.17.0";
    private static final String ADMIN_PASSWORD = "nodes kill test";
    private static final Duration START_UP = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    /** A node: its host name (also its node name) and its process. */
    private record Node(String name, ModprepProcess process) {
        /** Whether a lease holder's name is this node's ("host:pid:…" today, or the node's name). */
        boolean holds(String holder) {
            return holder != null && (holder.equals(name) || holder.startsWith(name + ":")
                    || holder.contains(":" + process.process.pid() + ":"));
        }
    }

    @Test
    void three_nodes_share_the_compile_batches_and_a_run_whose_owner_and_a_batch_holder_are_killed_ends_exactly_as_an_uninterrupted_run_P12_P14()
            throws Exception {
        var cluster = PostgresCluster.get();
        var env = Map.of("MODPREP_DATABASE_PASSWORD", cluster.password(), "MODPREP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        String farm = cluster.createEmptyDatabase();
        String url = cluster.url(farm);
        assertEquals(0, ModprepProcess.run("demo", "--out", dir.resolve("env").toString(), "--modules", "120",
                "--classes-per-module", "3").exitCode());
        check(ModprepProcess.run(env, "--database", url, "import", dir.resolve("env").toString()));
        phase("demo and import");
        // Short leases (the smallest allowed) so that a takeover costs seconds; small groups, so that the run is long enough.
        check(ModprepProcess.run(env, "--database", url, "settings", "set", "heartbeat-interval", "1s"));
        check(ModprepProcess.run(env, "--database", url, "settings", "set", "lease-timeout", "5s"));
        check(ModprepProcess.run(env, "--database", url, "settings", "set", "group-size", "4"));
        String reference = "reference_" + farm;
        cluster.admin("CREATE DATABASE " + reference + " TEMPLATE " + farm);
        try {
            // The uninterrupted run goes on beside the nodes' start and run: only its outcome is compared, at the end.
            var uninterrupted = CompletableFuture.supplyAsync(() -> {
                var done = ModprepProcess.run(env, "--database", cluster.url(reference), "upgrade", "--to", TO, "--follow");
                assertEquals(1, done.exitCode(), "the demo's findByName callers fail on 11.17.0: " + done.output());
                phase("uninterrupted run");
                try (var db = Database.connect(cluster.location(reference))) {
                    return RunOutcome.of(db.dsl(), TO);
                }
            });
            try (var db = Database.connect(cluster.location(farm))) {
                runOnThreeNodes(env, url, db.dsl(), uninterrupted);
            }
        } finally {
            cluster.admin("DROP DATABASE IF EXISTS " + reference + " WITH (FORCE)");
        }
    }

    private void runOnThreeNodes(Map<String, String> env, String url, DSLContext dsl, CompletableFuture<RunOutcome> uninterrupted)
            throws Exception {
        var nodes = new ArrayList<Node>();
        try {
            // The first node creates the admin user; then the others start together.
            nodes.add(new Node("node-a", startNode(env, url, "node-a")));
            nodes.get(0).process().consolePort();
            for (String name : List.of("node-b", "node-c")) {
                nodes.add(new Node(name, startNode(env, url, name)));
            }
            nodes.forEach(n -> n.process().consolePort());
            phase("three nodes started");
            var started = ModprepProcess.run(env, "--database", url, "upgrade", "--to", TO);
            assertEquals(0, started.exitCode(), started.output());
            assertTrue(started.out().contains("A modprep server"), "a node prepares the run, not the CLI: " + started.output());

            var schedule = new KillSchedule(SEED, 2, RunProgress.PREPARATION_STEPS);
            var probe = ProgressProbe.of(dsl, RunProgress.ofPreparationRun(1));
            var alive = new ArrayList<>(nodes);
            var held = new ArrayList<Held>();
            // Kill 1: a node that holds a compile batch and is not the run's owner, as soon as there is one.
            var first = schedule.killAt(new KillSchedule.Point(0, 0), probe, () -> alive.stream().anyMatch(n -> n.process().process.isAlive()),
                    seen -> {
                        var victim = batchHolderNotOwner(dsl, alive);
                        victim.process().kill();
                        alive.remove(victim);
                        held.addAll(heldBy(dsl, victim));
                        return victim.name() + " killed holding " + held.size() + " batch(es)";
                    });
            assertTrue(first.isPresent() && first.get().inTheMiddle(), "the batch holder was killed mid-run: " + schedule.report());
            // Kill 2: the run's owner, at a point drawn from what is left of the run.
            var expiry = new OffsetDateTime[1];
            var owner = new Node[1];
            var second = schedule.killAtNextPoint(probe, () -> alive.stream().anyMatch(n -> n.process().process.isAlive()), seen -> {
                var holder = dsl.select(PREPARATION_RUN.LEASE_OWNER).from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(1L))
                        .fetchOne(PREPARATION_RUN.LEASE_OWNER);
                owner[0] = alive.stream().filter(n -> n.holds(holder)).findFirst()
                        .orElseThrow(() -> new AssertionError("the run's owner " + holder + " is none of " + alive));
                owner[0].process().kill();
                alive.remove(owner[0]);
                expiry[0] = dsl.select(PREPARATION_RUN.LEASE_EXPIRES_AT).from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(1L))
                        .fetchOne(PREPARATION_RUN.LEASE_EXPIRES_AT);
                return "run owner " + owner[0].name() + " killed, its lease runs to " + expiry[0];
            });
            String where = schedule.report();
            System.out.println("NODES KILLS " + where);
            if (second.isPresent() && second.get().inTheMiddle()) {
                // The last node takes the run over once the lease ran out, not before (it is "on another host").
                var takenAt = awaitTakeover(dsl, owner[0], where);
                assertFalse(takenAt.isBefore(expiry[0]), "the run was taken over at " + takenAt + ", before its lease ran out at "
                        + expiry[0] + ": " + where);
            }
            awaitEnd(probe, where);
            phase("run on three nodes, two killed");

            var actual = RunOutcome.of(dsl, TO);
            var expected = uninterrupted.get(ModprepProcess.COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(expected.status(), actual.status(), where);
            assertEquals(expected.moduleStatus(), actual.moduleStatus(), "the same modules prepared, failed and blocked: " + where);
            assertEquals(expected.preparedJars(), actual.preparedJars(), "every prepared module's jar, byte for byte: " + where);
            assertEquals(expected.compilations(), actual.compilations(), "no compilation lost, none made twice: " + where);
            assertEquals(1, actual.runs(), where);
            assertEquals(0, actual.locks(), "no module left locked: " + where);
            var groups = dsl.select(RUN_GROUP.STATUS).from(RUN_GROUP).where(RUN_GROUP.RUN_ID.eq(1L)).fetch(r -> r.value1().code());
            assertTrue(groups.stream().allMatch("done"::equals), "every group done: " + groups);

            // P14: the batches were compiled on more than one node, and those the killed holder held were taken over once its lease ran out.
            var compiledBy = dsl.selectDistinct(COMPILE_BATCH.COMPILED_BY).from(COMPILE_BATCH)
                    .where(COMPILE_BATCH.RUN_ID.eq(1L), COMPILE_BATCH.STATUS.eq(BatchStatus.DONE)).fetch(COMPILE_BATCH.COMPILED_BY);
            Set<String> byNode = nodes.stream().filter(n -> compiledBy.stream().anyMatch(n::holds)).map(Node::name)
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
            assertTrue(byNode.size() >= 2, "batches compiled by " + byNode + " (" + compiledBy + "): " + where);
            for (var batch : held) {
                var row = dsl.selectFrom(COMPILE_BATCH).where(COMPILE_BATCH.RUN_ID.eq(1L), COMPILE_BATCH.SEQ.eq(batch.seq())).fetchOne();
                if (row == null) {
                    continue; // dropped and planned again by the owner that took the run over
                }
                assertEquals(BatchStatus.DONE, row.getStatus(), "batch " + batch.seq() + " of the killed node: " + where);
                assertFalse(row.getClaimedAt().isBefore(batch.expiresAt()), "batch " + batch.seq() + " claimed again at "
                        + row.getClaimedAt() + ", before the killed node's lease ran out at " + batch.expiresAt());
            }
            System.out.println("NODES BATCHES compiled by " + byNode + "; " + held.size() + " batch(es) taken over from the killed holder");
        } finally {
            nodes.forEach(n -> n.process().close());
        }
    }

    private final long started = System.nanoTime();

    /** Where the test's time goes (its CI time is watched). */
    private void phase(String what) {
        System.out.printf("NODES %s: %.1f s%n", what, (System.nanoTime() - started) / 1e9);
    }

    /** A batch the killed node held, and when its lease was to run out. */
    private record Held(int seq, OffsetDateTime expiresAt) {
    }

    private static List<Held> heldBy(DSLContext dsl, Node node) {
        return dsl.select(COMPILE_BATCH.SEQ, COMPILE_BATCH.LEASE_OWNER, COMPILE_BATCH.LEASE_EXPIRES_AT).from(COMPILE_BATCH)
                .where(COMPILE_BATCH.RUN_ID.eq(1L), COMPILE_BATCH.STATUS.eq(BatchStatus.COMPILING)).fetch().stream()
                .filter(r -> node.holds(r.value2())).map(r -> new Held(r.value1(), r.value3())).toList();
    }

    /** Waits (on the batches' progress, not on time) for a node other than the run's owner to hold a batch. */
    private static Node batchHolderNotOwner(DSLContext dsl, List<Node> alive) {
        var stall = new Stall(KillSchedule.STALL);
        while (true) {
            String runOwner = dsl.select(PREPARATION_RUN.LEASE_OWNER).from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(1L))
                    .fetchOne(PREPARATION_RUN.LEASE_OWNER);
            var holders = dsl.select(COMPILE_BATCH.LEASE_OWNER).from(COMPILE_BATCH)
                    .where(COMPILE_BATCH.RUN_ID.eq(1L), COMPILE_BATCH.STATUS.eq(BatchStatus.COMPILING)).fetch(COMPILE_BATCH.LEASE_OWNER);
            for (var node : alive) {
                if (runOwner != null && !node.holds(runOwner) && holders.stream().anyMatch(node::holds)) {
                    return node;
                }
            }
            int done = dsl.fetchCount(COMPILE_BATCH, COMPILE_BATCH.RUN_ID.eq(1L), COMPILE_BATCH.STATUS.eq(BatchStatus.DONE));
            stall.moved(holders.size() + "/" + done, () -> "no node but the run's owner took a batch");
            ModprepProcess.pause(5);
        }
    }

    /** When (on the database's clock) a node other than the killed owner holds the run. */
    private static OffsetDateTime awaitTakeover(DSLContext dsl, Node killed, String where) {
        var stall = new Stall(KillSchedule.STALL);
        while (true) {
            var row = dsl.select(PREPARATION_RUN.LEASE_OWNER, PREPARATION_RUN.STATUS, DSL.currentOffsetDateTime()).from(PREPARATION_RUN)
                    .where(PREPARATION_RUN.ID.eq(1L)).fetchOne();
            if (row.value2() != RunStatus.RUNNING) {
                throw new AssertionError("the run ended without a takeover: " + where);
            }
            if (row.value1() != null && !killed.holds(row.value1())) {
                return row.value3();
            }
            stall.moved(row.value1(), () -> "nobody took the run over: " + where);
            ModprepProcess.pause(20);
        }
    }

    private static void awaitEnd(ProgressProbe probe, String where) {
        var stall = new Stall(KillSchedule.STALL);
        for (var progress = probe.get(); progress.running(); progress = probe.get()) {
            if (!stall.moved(progress, () -> "the run after the kills: " + where)) {
                ModprepProcess.pause(50);
            }
        }
    }

    /** {@code modprep serve} in a UTS namespace of its own, under its own host name, which its own hosts file resolves. */
    private ModprepProcess startNode(Map<String, String> env, String url, String name) throws Exception {
        Path hosts = dir.resolve(name + ".hosts");
        Files.writeString(hosts, "127.0.0.1 localhost " + name + "\n");
        var inner = ModprepProcess.commandAfter("hostname " + name, "--data", dir.resolve(name).toString(), "--database", url,
                "serve", "--port", "0", "--host", "127.0.0.1");
        var command = new ArrayList<String>(List.of("unshare", "--uts"));
        command.addAll(inner.command());
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.environment().put("MODPREP_NODE_NAME", name);
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts);
        return ModprepProcess.start(builder);
    }

    private static void check(ModprepProcess.Done done) {
        assertEquals(0, done.exitCode(), done.output());
    }
}
