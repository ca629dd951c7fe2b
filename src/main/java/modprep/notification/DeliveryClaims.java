package modprep.notification;

import static modprep.db.schema.Tables.NOTIFICATION_DELIVERY;
import static modprep.db.schema.Tables.NOTIFICATION_EVENT;
import static modprep.db.schema.Tables.WEBHOOK;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import modprep.db.Database;
import modprep.db.ProcessOwner;
import modprep.status.DeliveryStatus;
import modprep.status.EventType;
import org.jooq.Field;
import org.jooq.Records;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;

/**
 * Which process sends which delivery, decided in the database only, as runs are (P12): a delivery that
 * is due and whose lease is free, expired, or held by a process that is gone is claimed with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} and an update guarded by the holder it had. What comes of
 * the attempt is recorded only by the holder, so two nodes never both record one attempt. When a delivery is
 * due and when a lease expires are reckoned on the database's clock, as runs' leases are (L1): a node whose
 * clock is off neither takes a live lease nor sends early or late. The node's clock stamps the attempts.
 */
final class DeliveryClaims {
    static final int BATCH = 5;
    static final int MAX_ATTEMPTS = 20;
    static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

    private final Database database;
    private final Clock clock;
    private final ProcessOwner owner = ProcessOwner.forThisProcess();
    private final Duration lease;
    private final Duration firstBackoff;
    /** The database's clock. */
    private static final Field<OffsetDateTime> NOW = DSL.currentOffsetDateTime();

    DeliveryClaims(Database database, Clock clock, Duration requestTimeout, Duration firstBackoff) {
        this.database = database;
        this.clock = clock;
        this.lease = requestTimeout.multipliedBy(BATCH).plusSeconds(30);
        this.firstBackoff = firstBackoff;
    }

    /** A claimed delivery: what to send where. */
    record Claimed(long eventId, long hookId, String eventKey, EventType type, OffsetDateTime occurredAt, String payload,
                   String url, String secret, int attempts) {
    }

    /** Claims up to {@link #BATCH} due deliveries. */
    List<Claimed> claim() {
        return database.transaction(tx -> {
            var d = NOTIFICATION_DELIVERY;
            record Candidate(long eventId, long hookId, String holder, Boolean expired) {
            }
            var expired = DSL.field(d.LEASE_EXPIRES_AT.isNull().or(d.LEASE_EXPIRES_AT.lt(NOW)));
            var candidates = tx.select(d.EVENT_ID, d.WEBHOOK_ID, d.LEASE_OWNER, expired).from(d)
                    .where(d.STATUS.eq(DeliveryStatus.PENDING), d.NEXT_ATTEMPT_AT.le(NOW))
                    .orderBy(d.NEXT_ATTEMPT_AT, d.EVENT_ID, d.WEBHOOK_ID).limit(BATCH * 4)
                    .forUpdate().skipLocked().fetch(Records.mapping(Candidate::new));
            var claimed = new ArrayList<Claimed>();
            for (var c : candidates) {
                if (claimed.size() == BATCH) {
                    break;
                }
                String holder = c.holder();
                boolean free = holder == null || Boolean.TRUE.equals(c.expired()) || owner.isGone(holder);
                if (!free) {
                    continue;
                }
                int updated = tx.update(d).set(d.LEASE_OWNER, owner.name()).set(d.LEASE_EXPIRES_AT, nowPlus(lease))
                        .where(d.EVENT_ID.eq(c.eventId()), d.WEBHOOK_ID.eq(c.hookId()),
                                holder == null ? d.LEASE_OWNER.isNull() : d.LEASE_OWNER.eq(holder))
                        .execute();
                if (updated == 1) {
                    claimed.add(tx.select(d.EVENT_ID, d.WEBHOOK_ID, NOTIFICATION_EVENT.EVENT_KEY, NOTIFICATION_EVENT.EVENT_TYPE,
                                    NOTIFICATION_EVENT.OCCURRED_AT, NOTIFICATION_EVENT.PAYLOAD, WEBHOOK.URL, WEBHOOK.SECRET, d.ATTEMPTS)
                            .from(d).join(NOTIFICATION_EVENT).on(NOTIFICATION_EVENT.ID.eq(d.EVENT_ID))
                            .join(WEBHOOK).on(WEBHOOK.ID.eq(d.WEBHOOK_ID))
                            .where(d.EVENT_ID.eq(c.eventId()), d.WEBHOOK_ID.eq(c.hookId()))
                            .fetchOne(Records.mapping(Claimed::new)));
                }
            }
            return claimed;
        });
    }

    /** The receiver answered 2xx: delivered. */
    void delivered(Claimed delivery, String result) {
        record(delivery, DeliveryStatus.DELIVERED, result, NOW);
    }

    /** It failed: tried again after a backoff that doubles each time, or given up after {@link #MAX_ATTEMPTS}. */
    void failed(Claimed delivery, String result) {
        int attempts = delivery.attempts() + 1;
        var status = attempts >= MAX_ATTEMPTS ? DeliveryStatus.ABANDONED : DeliveryStatus.PENDING;
        record(delivery, status, result, nowPlus(backoff(attempts)));
    }

    /** 1st retry after the first backoff, then twice as long each time, at most {@link #MAX_BACKOFF}. */
    Duration backoff(int attempts) {
        var wait = firstBackoff.multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    /** The database's clock plus a duration. */
    private static Field<OffsetDateTime> nowPlus(Duration duration) {
        return NOW.plus(DayToSecond.valueOf(duration));
    }

    private void record(Claimed delivery, DeliveryStatus status, String result, Field<OffsetDateTime> next) {
        var d = NOTIFICATION_DELIVERY;
        database.dsl().update(d).set(d.STATUS, status).set(d.ATTEMPTS, delivery.attempts() + 1)
                .set(d.LAST_ATTEMPT_AT, OffsetDateTime.now(clock))
                .set(d.LAST_RESULT, result.length() > 400 ? result.substring(0, 397) + "..." : result)
                .set(d.NEXT_ATTEMPT_AT, next)
                .set(d.LEASE_OWNER, (String) null).set(d.LEASE_EXPIRES_AT, (OffsetDateTime) null)
                .where(d.EVENT_ID.eq(delivery.eventId()), d.WEBHOOK_ID.eq(delivery.hookId()), d.LEASE_OWNER.eq(owner.name()))
                .execute();
    }

    /** Gives back what this process holds (on shutdown), so that another process sends it without waiting. */
    void releaseAll() {
        var d = NOTIFICATION_DELIVERY;
        database.dsl().update(d).set(d.LEASE_OWNER, (String) null).set(d.LEASE_EXPIRES_AT, (OffsetDateTime) null)
                .where(d.LEASE_OWNER.eq(owner.name())).execute();
    }
}
