package modprep.preparation;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.WORKER_PROCESS;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import modprep.db.Database;
import modprep.db.ProcessOwner;
import modprep.settings.InstallationSettings;
import modprep.status.RunStatus;
import org.jooq.Records;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;

/**
 * Who works on which run, decided in the database only (P12): a worker claims a running run whose
 * lease is free, expired, or held by a process that is gone, and renews the lease while it works. Each
 * process also keeps a heartbeat row, so that a CLI command knows whether a server is already working.
 */
public final class Leases {

    /** Thrown when another worker took the run over: this one stops without saving anything more. */
    public static final class LeaseLost extends RuntimeException {
        LeaseLost(long runId) {
            super("the lease on run #" + runId + " was lost");
        }
    }

    /** The table of a kind of run: preparation runs, and deployments (D1: a deployment is a kind of run, leased the same way). */
    public record RunTable(Table<?> table, Field<Long> id, Field<RunStatus> status, Field<String> owner,
                           Field<OffsetDateTime> expiresAt) {
    }

    public static final RunTable PREPARATIONS = new RunTable(PREPARATION_RUN, PREPARATION_RUN.ID, PREPARATION_RUN.STATUS,
            PREPARATION_RUN.LEASE_OWNER, PREPARATION_RUN.LEASE_EXPIRES_AT);
    public static final RunTable DEPLOYMENTS = new RunTable(DEPLOYMENT, DEPLOYMENT.ID, DEPLOYMENT.STATUS,
            DEPLOYMENT.LEASE_OWNER, DEPLOYMENT.LEASE_EXPIRES_AT);

    private final Database database;
    private final Clock clock;
    private final ProcessOwner self = ProcessOwner.forThisProcess();
    private final String owner = self.name();
    private final InstallationSettings settings;
    /** The installation's lease-timeout and heartbeat-interval, read again on each heartbeat. */
    private volatile Duration lease;
    private volatile Duration heartbeatInterval;

    public Leases(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
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

    /** Claims a running preparation run nobody works on; returns its number, or null. */
    public Long claim() {
        return claim(PREPARATIONS);
    }

    /** Claims a running run of the table nobody works on; returns its number, or null. */
    public Long claim(RunTable runs) {
        return database.transaction(tx -> {
            var now = OffsetDateTime.now(clock);
            record Candidate(long id, String holder, OffsetDateTime expiresAt) {
            }
            var candidates = tx.select(runs.id(), runs.owner(), runs.expiresAt())
                    .from(runs.table()).where(runs.status().eq(RunStatus.RUNNING))
                    .orderBy(runs.id()).forUpdate().skipLocked().fetch(Records.mapping(Candidate::new));
            for (var run : candidates) {
                String holder = run.holder();
                boolean free = holder == null || holder.equals(owner) || run.expiresAt() == null
                        || run.expiresAt().isBefore(now) || isGone(holder);
                if (free) {
                    int claimed = tx.update(runs.table())
                            .set(runs.owner(), owner)
                            .set(runs.expiresAt(), now.plus(lease))
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
        renew(tx, PREPARATIONS, runId);
    }

    /** Renews the lease on a run of the table, inside the caller's transaction; throws if another worker holds it now. */
    public void renew(DSLContext tx, RunTable runs, long runId) {
        int renewed = tx.update(runs.table())
                .set(runs.expiresAt(), OffsetDateTime.now(clock).plus(lease))
                .where(runs.id().eq(runId), runs.owner().eq(owner), runs.status().eq(RunStatus.RUNNING))
                .execute();
        if (renewed != 1) {
            throw new LeaseLost(runId);
        }
    }

    /** Gives the run back at once (on shutdown), so that another process can take it over without waiting. */
    public void release(long runId) {
        release(PREPARATIONS, runId);
    }

    /** Gives a run of the table back at once. */
    public void release(RunTable runs, long runId) {
        database.dsl().update(runs.table())
                .set(runs.owner(), (String) null)
                .set(runs.expiresAt(), (OffsetDateTime) null)
                .where(runs.id().eq(runId), runs.owner().eq(owner))
                .execute();
    }

    /** Records this process as alive, and what it is. */
    public void heartbeat(WorkerKind kind) {
        readTimings();
        var now = OffsetDateTime.now(clock);
        var dsl = database.dsl();
        int updated = dsl.update(WORKER_PROCESS).set(WORKER_PROCESS.HEARTBEAT_AT, now)
                .where(WORKER_PROCESS.OWNER.eq(owner)).execute();
        if (updated == 0) {
            dsl.insertInto(WORKER_PROCESS)
                    .set(WORKER_PROCESS.OWNER, owner).set(WORKER_PROCESS.KIND, kind.code()).set(WORKER_PROCESS.HOST, self.host())
                    .set(WORKER_PROCESS.PID, self.pid()).set(WORKER_PROCESS.STARTED_AT, now).set(WORKER_PROCESS.HEARTBEAT_AT, now)
                    .execute();
        }
        // Rows of processes long gone would only mislead.
        dsl.deleteFrom(WORKER_PROCESS).where(WORKER_PROCESS.HEARTBEAT_AT.lt(now.minus(lease.multipliedBy(4)))).execute();
    }

    public void unregister() {
        database.dsl().deleteFrom(WORKER_PROCESS).where(WORKER_PROCESS.OWNER.eq(owner)).execute();
    }

    /** Whether a server process on this data folder is alive and so will work on new runs. */
    public boolean liveServerExists() {
        var now = OffsetDateTime.now(clock);
        return database.dsl().select(WORKER_PROCESS.OWNER).from(WORKER_PROCESS)
                .where(WORKER_PROCESS.KIND.eq(WorkerKind.SERVER.code()), WORKER_PROCESS.HEARTBEAT_AT.gt(now.minus(lease)))
                .fetch(WORKER_PROCESS.OWNER).stream().anyMatch(o -> !o.equals(owner) && !isGone(o));
    }

    /** A holder on this machine whose process no longer exists (killed, crashed) holds nothing. */
    private boolean isGone(String holder) {
        return self.isGone(holder);
    }
}
