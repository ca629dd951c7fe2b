package modprep.preparation;

import static modprep.db.schema.Tables.WORKER_PROCESS;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.db.ProcessOwner;
import modprep.settings.InstallationSettings;
import modprep.status.NodeActivity;
import modprep.status.RunStatus;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Records;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;

/**
 * Who works on which run, decided in the database only (P12): a worker claims a running run whose
 * lease is free, expired, or held by a process that is gone, and renews the lease while it works. Every
 * expiry is computed and compared in SQL, on the database's clock (L1): a node whose clock is wrong
 * neither steals a live lease nor keeps an expired one. Each process also keeps a heartbeat row
 * (worker_process), which a CLI reads to know whether a server works, and the Nodes page shows.
 */
public final class Leases {

    /** Thrown when another worker took the run over: this one stops without saving anything more. */
    public static final class LeaseLost extends RuntimeException {
        LeaseLost(long runId) {
            super("the lease on run #" + runId + " was lost");
        }
    }

    /** The database's clock: every expiry is reckoned on it, never on this node's. */
    private static final Field<OffsetDateTime> NOW = DSL.currentOffsetDateTime();

    private final Database database;
    private final ProcessOwner self;
    private final String owner;
    private final InstallationSettings settings;
    private final String version = ProcessOwner.modprepVersion();
    private volatile String address;
    /** The installation's lease-timeout and heartbeat-interval, read again on each heartbeat. */
    private volatile Duration lease;
    private volatile Duration heartbeatInterval;

    /** Leases of a process not named as a node (a test's worker): held as "host/cli-pid". */
    public Leases(Database database, Clock clock) {
        this(database, clock, ProcessOwner.process(null, WorkerKind.CLI.code()));
    }

    /** Leases held by this holder: a node's name for {@code serve}, "node/cli-pid" for a command. */
    public Leases(Database database, Clock clock, ProcessOwner holder) {
        this.database = database;
        this.self = holder;
        this.owner = holder.name();
        this.settings = new InstallationSettings(database, clock);
        readTimings();
    }

    private void readTimings() {
        var values = settings.values();
        lease = values.leaseTimeout();
        heartbeatInterval = values.heartbeatInterval();
    }

    /** How often this process beats and renews its lease (the installation's heartbeat-interval). */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public String owner() {
        return owner;
    }

    /** The database's clock plus a duration. */
    private static Field<OffsetDateTime> nowPlus(Duration duration) {
        return NOW.plus(DayToSecond.valueOf(duration));
    }

    private static Field<OffsetDateTime> nowMinus(Duration duration) {
        return NOW.minus(DayToSecond.valueOf(duration));
    }

    /** Claims a running preparation run nobody works on; returns its number, or null. */
    public Long claim() {
        return claim(RunTable.PREPARATIONS);
    }

    /** Claims a running run of the table nobody works on; returns its number, or null. */
    public Long claim(RunTable runs) {
        return database.transaction(tx -> {
            record Candidate(long id, String holder, Boolean expired) {
            }
            var expired = DSL.field(runs.expiresAt().isNull().or(runs.expiresAt().lt(NOW)));
            var candidates = tx.select(runs.id(), runs.owner(), expired)
                    .from(runs.table()).where(runs.status().eq(RunStatus.RUNNING))
                    .orderBy(runs.id()).forUpdate().skipLocked().fetch(Records.mapping(Candidate::new));
            for (var run : candidates) {
                String holder = run.holder();
                boolean free = holder == null || holder.equals(owner) || Boolean.TRUE.equals(run.expired()) || isGone(tx, holder);
                if (free) {
                    int claimed = tx.update(runs.table())
                            .set(runs.owner(), owner)
                            .set(runs.expiresAt(), nowPlus(lease))
                            .where(runs.id().eq(run.id()), holder == null ? runs.owner().isNull() : runs.owner().eq(holder))
                            .execute();
                    if (claimed == 1) {
                        return run.id();
                    }
                }
            }
            return null;
        });
    }

    /** Renews the lease, inside the caller's transaction; throws if another worker holds the run now. */
    public void renew(DSLContext tx, long runId) {
        renew(tx, RunTable.PREPARATIONS, runId);
    }

    /** Renews the lease on a run of the table, inside the caller's transaction; throws if another worker holds it now. */
    public void renew(DSLContext tx, RunTable runs, long runId) {
        int renewed = tx.update(runs.table())
                .set(runs.expiresAt(), nowPlus(lease))
                .where(runs.id().eq(runId), runs.owner().eq(owner), runs.status().eq(RunStatus.RUNNING))
                .execute();
        if (renewed != 1) {
            throw new LeaseLost(runId);
        }
    }

    /**
     * Renews the lease from the heartbeat, unless the run's row is locked: then the worker's own transaction
     * holds it and renews it as it commits, and the heartbeat must not wait behind it (it would stop beating).
     */
    public void renewUnlessBusy(RunTable runs, long runId) {
        database.transaction(tx -> {
            var mine = tx.select(runs.id()).from(runs.table())
                    .where(runs.id().eq(runId), runs.owner().eq(owner), runs.status().eq(RunStatus.RUNNING))
                    .forUpdate().skipLocked().fetchOne();
            if (mine != null) {
                tx.update(runs.table()).set(runs.expiresAt(), nowPlus(lease)).where(runs.id().eq(runId)).execute();
            }
            return null;
        });
    }

    /** Gives the run back at once (on shutdown), so that another process can take it over without waiting. */
    public void release(long runId) {
        release(RunTable.PREPARATIONS, runId);
    }

    /** Gives a run of the table back at once. */
    public void release(RunTable runs, long runId) {
        database.dsl().update(runs.table())
                .set(runs.owner(), (String) null)
                .set(runs.expiresAt(), (OffsetDateTime) null)
                .where(runs.id().eq(runId), runs.owner().eq(owner))
                .execute();
    }

    /**
     * Puts this process's heartbeat row in place, fresh, at start. A {@code serve} holds by its node name:
     * a live server of the same name (its heartbeat within the lease-timeout, and not a process known gone
     * on this host) is refused in one line, since both would hold the same leases.
     */
    public void register(WorkerKind kind) {
        readTimings();
        database.transaction(tx -> {
            var w = WORKER_PROCESS;
            var live = DSL.field(w.HEARTBEAT_AT.gt(nowMinus(lease)));
            var other = tx.select(w.KIND, w.HOST, w.PID, w.HEARTBEAT_AT, live, NOW).from(w).where(w.OWNER.eq(owner)).forUpdate().fetchOne();
            if (other != null && kind == WorkerKind.SERVER && Boolean.TRUE.equals(other.value5())
                    && !(other.value2().equals(self.host()) && other.value3() == self.pid()) && !self.isGone(other.value2(), other.value3())) {
                throw ModprepException.refused("the node '" + owner + "' is already running on host " + other.value2() + " (pid "
                        + other.value3() + "), which last beat at " + other.value4() + " ("
                        + Duration.between(other.value4(), other.value6()).toSeconds() + " s ago by the database's clock): stop it, or give this one another --node-name");
            }
            tx.deleteFrom(w).where(w.OWNER.eq(owner)).execute();
            insertRow(tx, kind);
            return null;
        });
    }

    private void insertRow(DSLContext dsl, WorkerKind kind) {
        var w = WORKER_PROCESS;
        dsl.insertInto(w)
                .set(w.OWNER, owner).set(w.KIND, kind.code()).set(w.HOST, self.host()).set(w.PID, self.pid())
                .set(w.STARTED_AT, NOW).set(w.HEARTBEAT_AT, NOW).set(w.ADDRESS, address).set(w.MODPREP_VERSION, version)
                .execute();
    }

    /** Records this process as alive, and what it is. */
    public void heartbeat(WorkerKind kind) {
        readTimings();
        var dsl = database.dsl();
        int updated = dsl.update(WORKER_PROCESS).set(WORKER_PROCESS.HEARTBEAT_AT, NOW)
                .where(WORKER_PROCESS.OWNER.eq(owner)).execute();
        if (updated == 0) {
            insertRow(dsl, kind);
        }
        // Rows of processes long gone would only mislead.
        dsl.deleteFrom(WORKER_PROCESS).where(WORKER_PROCESS.HEARTBEAT_AT.lt(nowMinus(lease.multipliedBy(4)))).execute();
    }

    /** Where this node serves the console ("host:port"), for the Nodes page. */
    public void servingAt(String address) {
        this.address = address;
        database.dsl().update(WORKER_PROCESS).set(WORKER_PROCESS.ADDRESS, address).where(WORKER_PROCESS.OWNER.eq(owner)).execute();
    }

    /** What this process does now (the Nodes page): the run and group, when it works on one. */
    public void doing(NodeActivity activity, Long runId, Integer group) {
        database.dsl().update(WORKER_PROCESS).set(WORKER_PROCESS.ACTIVITY, activity.code())
                .set(WORKER_PROCESS.ACTIVITY_RUN_ID, runId).set(WORKER_PROCESS.ACTIVITY_GROUP, group)
                .where(WORKER_PROCESS.OWNER.eq(owner)).execute();
    }

    public void unregister() {
        database.dsl().deleteFrom(WORKER_PROCESS).where(WORKER_PROCESS.OWNER.eq(owner)).execute();
    }

    /**
     * I1: how many nodes compile batches now (P14): every process whose heartbeat is within the lease on the
     * database's clock (L1), servers and commands alike (each runs a batch worker), but for one stopped by a
     * newer schema (L4) or known gone (killed on this machine, its heartbeat still fresh: a command resuming
     * after it would otherwise plan for two).
     */
    public static int liveNodes(DSLContext dsl, Duration lease) {
        var w = WORKER_PROCESS;
        long live = dsl.select(w.HOST, w.PID).from(w)
                .where(w.HEARTBEAT_AT.gt(nowMinus(lease)), w.ACTIVITY.ne(NodeActivity.STOPPED.code()))
                .fetch().stream().filter(r -> !ProcessOwner.goneFromHere(r.value1(), r.value2())).count();
        return (int) live;
    }

    /** Whether a server process on this database is alive and so will work on new runs. */
    public boolean liveServerExists() {
        var w = WORKER_PROCESS;
        return database.dsl().select(w.OWNER, w.HOST, w.PID).from(w)
                .where(w.KIND.eq(WorkerKind.SERVER.code()), w.HEARTBEAT_AT.gt(nowMinus(lease)))
                .fetch().stream().anyMatch(r -> !r.value1().equals(owner) && !self.isGone(r.value2(), r.value3()));
    }

    /**
     * A holder on this machine whose process no longer exists (killed, crashed) holds nothing: its heartbeat
     * row says where it runs. A holder elsewhere, or without a row, is freed only by its lease expiring.
     */
    private boolean isGone(DSLContext tx, String holder) {
        if (self.isGone(holder)) {
            return true; // "host:pid:random", as a previous release named holders
        }
        var row = tx.select(WORKER_PROCESS.HOST, WORKER_PROCESS.PID).from(WORKER_PROCESS).where(WORKER_PROCESS.OWNER.eq(holder)).fetchOne();
        return row != null && self.isGone(row.value1(), row.value2());
    }
}
