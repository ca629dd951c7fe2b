package modprep.readmodel;

import static modprep.db.schema.Tables.COMPILE_BATCH;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.WORKER_PROCESS;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import modprep.db.Database;
import modprep.db.ProcessOwner;
import modprep.preparation.Leases;
import modprep.settings.InstallationSettings;
import modprep.status.BatchStatus;
import modprep.status.NodeActivity;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;

/**
 * The Nodes page and GET /api/nodes: every process that shares the database, as its heartbeat row
 * (worker_process) tells it. Whether a node responds is reckoned on the database's clock (L1): its last
 * heartbeat is older than the lease-timeout, and so its runs are free for others to take.
 */
public record NodeQueries(DSLContext dsl) {

    /**
     * One process: a node's server ("server", named by its node name) or a command working beside it
     * ("cli", "node/cli-pid"). {@code batchesCompiled} counts the compile batches it compiled in the
     * latest run, {@code batchesRun} (P14): that run may have ended, so it is not called the current one.
     */
    public record Node(String name, String kind, String host, long pid, String address, String version,
                       OffsetDateTime startedAt, OffsetDateTime lastHeartbeat, boolean responding, NodeActivity activity,
                       Long runId, Integer group, Integer batchesCompiled, Long batchesRun) {

        /** A node's server, not a command working beside it. */
        public boolean server() {
            return modprep.preparation.WorkerKind.SERVER.code().equals(kind);
        }

        /** What it is doing, in words: "idle", "preparing run #3, group 7", "deploying #2"… */
        public String doing() {
            return switch (activity) {
                case IDLE -> "idle";
                case PREPARING -> "preparing run #" + runId + (group == null ? "" : ", group " + group);
                case DEPLOYING -> "deploying #" + runId;
                case COMPILING -> "compiling a batch of run #" + runId;
                case STOPPED -> "stopped: the database's schema is newer than this node knows";
            };
        }
    }

    /** Servers first, then commands, each by name. */
    public List<Node> nodes(Duration leaseTimeout) {
        var w = WORKER_PROCESS;
        var responding = DSL.field(w.HEARTBEAT_AT.ge(DSL.currentOffsetDateTime().minus(DayToSecond.valueOf(leaseTimeout))));
        var latestRun = DSL.field(DSL.select(DSL.max(PREPARATION_RUN.ID)).from(PREPARATION_RUN));
        var batches = DSL.field(DSL.selectCount().from(COMPILE_BATCH).where(COMPILE_BATCH.RUN_ID.eq(latestRun),
                COMPILE_BATCH.COMPILED_BY.eq(w.OWNER), COMPILE_BATCH.STATUS.eq(BatchStatus.DONE)));
        return dsl.select(w.OWNER, w.KIND, w.HOST, w.PID, w.ADDRESS, w.MODPREP_VERSION, w.STARTED_AT, w.HEARTBEAT_AT, responding,
                        w.ACTIVITY, w.ACTIVITY_RUN_ID, w.ACTIVITY_GROUP, batches, latestRun)
                .from(w).orderBy(DSL.when(w.KIND.eq(modprep.preparation.WorkerKind.SERVER.code()), 0).otherwise(1), w.OWNER)
                .fetch(r -> new Node(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7(), r.value8(),
                        Boolean.TRUE.equals(r.value9()) && !ProcessOwner.goneFromHere(r.value3(), r.value4()), NodeActivity.of(r.value10()), r.value11(), r.value12(),
                        r.value14() == null ? null : r.value13(), r.value14()));
    }

    /** I1: the nodes that compile a run's batches now ({@link Leases#liveNodes}). */
    public int live(Duration leaseTimeout) {
        return Leases.liveNodes(dsl, leaseTimeout);
    }

    /** {@link #live(Duration)} with the installation's lease-timeout (S2). */
    public static int live(Database database) {
        return new NodeQueries(database.dsl()).live(new InstallationSettings(database, Clock.systemUTC()).values().leaseTimeout());
    }

    /**
     * I1: how many nodes compiled a run's batches so far, on average over the time they were compiled:
     * each node counts for the share of that time between its first claim and its last batch's end (a
     * batch in hand ends now, or when its lease runs out), on the database's clock; null when no batch
     * was compiled (a run before P14: its owner compiled alone).
     */
    public Double compiledOn(long runId) {
        var b = COMPILE_BATCH;
        var node = DSL.coalesce(b.COMPILED_BY, b.LEASE_OWNER);
        var end = DSL.coalesce(b.FINISHED_AT, DSL.least(b.LEASE_EXPIRES_AT, DSL.currentOffsetDateTime()));
        var spans = dsl.select(DSL.min(b.CLAIMED_AT), DSL.max(end)).from(b)
                .where(b.RUN_ID.eq(runId), b.STATUS.ne(BatchStatus.WAITING), b.CLAIMED_AT.isNotNull(), node.isNotNull())
                .groupBy(node).fetch();
        if (spans.isEmpty()) {
            return null;
        }
        OffsetDateTime first = null;
        OffsetDateTime last = null;
        long sum = 0;
        for (var span : spans) {
            sum += Math.max(0, Duration.between(span.value1(), span.value2()).toMillis());
            first = first == null || span.value1().isBefore(first) ? span.value1() : first;
            last = last == null || span.value2().isAfter(last) ? span.value2() : last;
        }
        long all = Duration.between(first, last).toMillis();
        return all <= 0 ? (double) spans.size() : Math.max(1.0, (double) sum / all);
    }
}
