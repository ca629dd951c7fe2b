package modprep.notification;

import static modprep.db.schema.Tables.NOTIFICATION_DELIVERY;
import static modprep.db.schema.Tables.NOTIFICATION_EVENT;
import static modprep.db.schema.Tables.WEBHOOK;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import modprep.Json;
import modprep.db.Database;
import modprep.status.DeliveryStatus;
import modprep.status.EventType;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Where events wait to be sent: written in the transaction of what they tell (a run that started is
 * never without its event, nor an event without its run), one delivery per configured webhook, which a
 * {@link Dispatcher} of any process then sends.
 */
public final class Outbox {
    private final Database database;
    private final Clock clock;

    public Outbox(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Publishes an event in a transaction of its own; returns its idempotency key. */
    public String publish(EventType type, Map<String, ?> payload) {
        return database.transaction(tx -> publish(tx, OffsetDateTime.now(clock), type, payload));
    }

    /** Publishes an event inside the caller's transaction, so that it is stored if and only if the caller's work is. */
    public static String publish(DSLContext tx, OffsetDateTime now, EventType type, Map<String, ?> payload) {
        String key = UUID.randomUUID().toString();
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the payload of a " + type.code() + " event is not JSON: " + e.getMessage(), e);
        }
        long eventId = tx.insertInto(NOTIFICATION_EVENT)
                .set(NOTIFICATION_EVENT.EVENT_KEY, key)
                .set(NOTIFICATION_EVENT.EVENT_TYPE, type)
                .set(NOTIFICATION_EVENT.PAYLOAD, json)
                .set(NOTIFICATION_EVENT.OCCURRED_AT, now)
                .returning(NOTIFICATION_EVENT.ID).fetchOne().getId();
        // One delivery per hook configured now: a hook added later is not sent what happened before it.
        // Due at once by the database's clock, which the claims read (L1): not an hour late from a node an hour ahead.
        tx.insertInto(NOTIFICATION_DELIVERY, NOTIFICATION_DELIVERY.EVENT_ID, NOTIFICATION_DELIVERY.WEBHOOK_ID,
                        NOTIFICATION_DELIVERY.STATUS, NOTIFICATION_DELIVERY.ATTEMPTS, NOTIFICATION_DELIVERY.NEXT_ATTEMPT_AT)
                .select(DSL.select(DSL.val(eventId), WEBHOOK.ID, DSL.val(DeliveryStatus.PENDING, NOTIFICATION_DELIVERY.STATUS),
                        DSL.val(0), DSL.currentOffsetDateTime()).from(WEBHOOK))
                .execute();
        return key;
    }
}
