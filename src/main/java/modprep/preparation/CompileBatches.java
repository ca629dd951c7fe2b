package modprep.preparation;

import static modprep.db.schema.Tables.COMPILE_BATCH;
import static modprep.db.schema.Tables.PREPARATION_RUN;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import modprep.db.Database;
import modprep.status.BatchStatus;
import modprep.status.RunStatus;
import org.jooq.Field;
import org.jooq.Records;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The compile batches of the runs in progress (P14), in the database only: the run's owner writes each
 * round of its compile-ahead as batches, and any node claims a waiting one with {@code FOR UPDATE SKIP
 * LOCKED} and a lease. Every time is the database's clock ({@code current_timestamp}), never a node's:
 * nodes whose clocks disagree still agree on whose lease ran out.
 */
public final class CompileBatches {
    /** A batch: its run, number, round, and its units (a reference cycle is one unit). */
    public record Batch(long runId, int seq, int round, List<List<String>> units) {
        public List<String> modules() {
            return units.stream().flatMap(List::stream).toList();
        }
    }

    /** How a batch ended: who compiled it, how long javac took, how many modules did not compile. */
    public record Result(String compiledBy, long millis, int failed) {
    }

    private final Database database;

    public CompileBatches(Database database) {
        this.database = database;
    }

    /** The database's clock, a lease from now. */
    static Field<OffsetDateTime> databaseNowPlus(Duration lease) {
        return DSL.field("(current_timestamp + {0} * interval '0.001' second)", SQLDataType.TIMESTAMPWITHTIMEZONE,
                DSL.inline(lease.toMillis()));
    }

    private static Field<OffsetDateTime> databaseNow() {
        return DSL.field("current_timestamp", SQLDataType.TIMESTAMPWITHTIMEZONE);
    }

    /** Writes a round's batches, waiting for any node; returns their numbers. */
    List<Integer> plan(long runId, int round, List<List<List<String>>> batches) {
        return database.transaction(tx -> {
            Integer last = tx.select(DSL.max(COMPILE_BATCH.SEQ)).from(COMPILE_BATCH).where(COMPILE_BATCH.RUN_ID.eq(runId))
                    .fetchOne(0, Integer.class);
            int seq = last == null ? 0 : last;
            var seqs = new ArrayList<Integer>();
            var insert = tx.insertInto(COMPILE_BATCH, COMPILE_BATCH.RUN_ID, COMPILE_BATCH.SEQ, COMPILE_BATCH.ROUND,
                    COMPILE_BATCH.MODULES, COMPILE_BATCH.MODULE_COUNT, COMPILE_BATCH.STATUS, COMPILE_BATCH.PLANNED_AT);
            for (var batch : batches) {
                seq++;
                seqs.add(seq);
                var text = String.join("\n", batch.stream().map(unit -> String.join(" ", unit)).toList());
                insert = insert.values(DSL.val(runId), DSL.val(seq), DSL.val(round), DSL.val(text),
                        DSL.val(batch.stream().mapToInt(List::size).sum()), DSL.val(BatchStatus.WAITING, COMPILE_BATCH.STATUS), databaseNow());
            }
            if (!batches.isEmpty()) {
                insert.execute();
            }
            return seqs;
        });
    }

    /** Forgets the batches of the run nobody compiles (an earlier owner planned them): the new owner plans afresh. */
    void dropWaiting(long runId) {
        database.dsl().deleteFrom(COMPILE_BATCH)
                .where(COMPILE_BATCH.RUN_ID.eq(runId), COMPILE_BATCH.STATUS.eq(BatchStatus.WAITING)).execute();
    }

    /** Which of these batches of the run are done. */
    java.util.Set<Integer> done(long runId, Collection<Integer> seqs) {
        return new java.util.HashSet<>(database.dsl().select(COMPILE_BATCH.SEQ).from(COMPILE_BATCH)
                .where(COMPILE_BATCH.RUN_ID.eq(runId), COMPILE_BATCH.SEQ.in(seqs), COMPILE_BATCH.STATUS.eq(BatchStatus.DONE))
                .fetch(COMPILE_BATCH.SEQ));
    }

    /** How long the javac work of these batches took, by batch. */
    java.util.Map<Integer, Long> millis(long runId, Collection<Integer> seqs) {
        return database.dsl().select(COMPILE_BATCH.SEQ, COMPILE_BATCH.MILLIS).from(COMPILE_BATCH)
                .where(COMPILE_BATCH.RUN_ID.eq(runId), COMPILE_BATCH.SEQ.in(seqs), COMPILE_BATCH.MILLIS.isNotNull())
                .fetchMap(COMPILE_BATCH.SEQ, COMPILE_BATCH.MILLIS);
    }

    /**
     * Claims batches of runs in progress that wait, or whose holder's lease ran out (a node killed or cut
     * off: only expiry frees its batches), oldest first: up to {@code most}, and no more than this node's
     * share of what waits among the live nodes, so that one node does not take a whole round while the
     * others look.
     */
    public List<Batch> claim(String owner, Duration lease, int most) {
        return database.transaction(tx -> {
            record Row(long runId, int seq, int round, String modules) {
            }
            // The runs' rows are read in a subquery, not joined: FOR UPDATE locks only the batches, never a run's lease.
            var claimable = COMPILE_BATCH.RUN_ID.in(DSL.select(PREPARATION_RUN.ID).from(PREPARATION_RUN)
                            .where(PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING)))
                    .and(COMPILE_BATCH.STATUS.eq(BatchStatus.WAITING).or(COMPILE_BATCH.STATUS.eq(BatchStatus.COMPILING)
                            .and(COMPILE_BATCH.LEASE_EXPIRES_AT.lt(databaseNow()))));
            int waiting = tx.fetchCount(COMPILE_BATCH, claimable);
            if (waiting == 0) {
                return List.<Batch>of();
            }
            int nodes = liveNodes(tx, lease);
            int count = Math.min(most, (waiting + nodes - 1) / nodes);
            var rows = tx.select(COMPILE_BATCH.RUN_ID, COMPILE_BATCH.SEQ, COMPILE_BATCH.ROUND, COMPILE_BATCH.MODULES)
                    .from(COMPILE_BATCH).where(claimable)
                    .orderBy(COMPILE_BATCH.RUN_ID, COMPILE_BATCH.SEQ).limit(count)
                    .forUpdate().skipLocked().fetch(Records.mapping(Row::new));
            var claimed = new ArrayList<Batch>();
            for (var row : rows) {
                int updated = tx.update(COMPILE_BATCH)
                        .set(COMPILE_BATCH.STATUS, BatchStatus.COMPILING)
                        .set(COMPILE_BATCH.LEASE_OWNER, owner)
                        .set(COMPILE_BATCH.LEASE_EXPIRES_AT, databaseNowPlus(lease))
                        .set(COMPILE_BATCH.CLAIMED_AT, databaseNow())
                        .where(COMPILE_BATCH.RUN_ID.eq(row.runId()), COMPILE_BATCH.SEQ.eq(row.seq()))
                        .execute();
                if (updated == 1) {
                    claimed.add(new Batch(row.runId(), row.seq(), row.round(), units(row.modules())));
                }
            }
            return claimed;
        });
    }

    /** Renews the holder's lease on its batches; those it no longer holds (taken over) are not touched. */
    public void renew(String owner, Duration lease, Collection<Batch> batches) {
        for (var batch : batches) {
            database.dsl().update(COMPILE_BATCH).set(COMPILE_BATCH.LEASE_EXPIRES_AT, databaseNowPlus(lease))
                    .where(COMPILE_BATCH.RUN_ID.eq(batch.runId()), COMPILE_BATCH.SEQ.eq(batch.seq()),
                            COMPILE_BATCH.LEASE_OWNER.eq(owner), COMPILE_BATCH.STATUS.eq(BatchStatus.COMPILING))
                    .execute();
        }
    }

    /**
     * Marks a batch done, if the holder still holds it; a batch taken over meanwhile is left to its new
     * holder (the jars are in the cache by their inputs either way: compiling twice changes nothing).
     */
    public boolean finish(String owner, Batch batch, Result result) {
        return database.dsl().update(COMPILE_BATCH)
                .set(COMPILE_BATCH.STATUS, BatchStatus.DONE)
                .set(COMPILE_BATCH.FINISHED_AT, databaseNow())
                .set(COMPILE_BATCH.LEASE_EXPIRES_AT, (OffsetDateTime) null)
                .set(COMPILE_BATCH.COMPILED_BY, result.compiledBy())
                .set(COMPILE_BATCH.MILLIS, result.millis())
                .set(COMPILE_BATCH.FAILED_COUNT, result.failed())
                .where(COMPILE_BATCH.RUN_ID.eq(batch.runId()), COMPILE_BATCH.SEQ.eq(batch.seq()),
                        COMPILE_BATCH.LEASE_OWNER.eq(owner), COMPILE_BATCH.STATUS.eq(BatchStatus.COMPILING))
                .execute() == 1;
    }

    /** How many processes compile batches ({@link Leases#liveNodes}): at least this one. */
    int liveNodes(Duration lease) {
        return liveNodes(database.dsl(), lease);
    }

    private static int liveNodes(org.jooq.DSLContext dsl, Duration lease) {
        return Math.max(1, Leases.liveNodes(dsl, lease));
    }

    /** Gives unfinished batches back at once (a node stopping), so that others need not wait for the lease. */
    public void release(String owner, Collection<Batch> batches) {
        for (var batch : batches) {
            database.dsl().update(COMPILE_BATCH).set(COMPILE_BATCH.STATUS, BatchStatus.WAITING)
                    .set(COMPILE_BATCH.LEASE_OWNER, (String) null).set(COMPILE_BATCH.LEASE_EXPIRES_AT, (OffsetDateTime) null)
                    .where(COMPILE_BATCH.RUN_ID.eq(batch.runId()), COMPILE_BATCH.SEQ.eq(batch.seq()),
                            COMPILE_BATCH.LEASE_OWNER.eq(owner), COMPILE_BATCH.STATUS.eq(BatchStatus.COMPILING))
                    .execute();
        }
    }

    private static List<List<String>> units(String modules) {
        return modules.lines().map(line -> Arrays.asList(line.split(" "))).toList();
    }

    /** Units cut into batches of {@code size} in their order. */
    static List<List<List<String>>> split(List<List<String>> units, int size) {
        var split = new java.util.ArrayList<List<List<String>>>();
        for (int from = 0; from < units.size(); from += size) {
            split.add(units.subList(from, Math.min(units.size(), from + size)));
        }
        return split;
    }
}
