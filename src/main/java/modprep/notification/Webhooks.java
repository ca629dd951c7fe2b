package modprep.notification;

import static modprep.db.schema.Tables.NOTIFICATION_DELIVERY;
import static modprep.db.schema.Tables.NOTIFICATION_EVENT;
import static modprep.db.schema.Tables.WEBHOOK;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.status.DeliveryStatus;
import modprep.status.EventType;
import org.jooq.Records;

/** The webhooks administrators configure, their secrets (shown once), and the log of what was sent to them. */
public final class Webhooks {
    static final int MAX_HOOKS = 50;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;
    private final Clock clock;
    private final WebhookUrls urls;

    Webhooks(Database database, Clock clock, WebhookUrls urls) {
        this.database = database;
        this.clock = clock;
        this.urls = urls;
    }

    /** A configured webhook, without its secret. */
    public record Hook(long id, String url, Instant createdAt, String createdBy, Instant secretSetAt) {
    }

    /** A webhook just created or whose secret just changed, with the secret: the one time it is shown. */
    public record WithSecret(long id, String url, String secret) {
    }

    /** One event's delivery to one hook: the delivery log. */
    public record Delivery(String eventKey, EventType type, Instant occurredAt, long hookId, String url, DeliveryStatus status,
                           int attempts, Instant lastAttemptAt, String lastResult, Instant nextAttemptAt) {
    }

    public WithSecret add(String url, String actor) {
        var uri = urls.check(url);
        String secret = newSecret();
        var now = OffsetDateTime.now(clock);
        return database.transaction(tx -> {
            if (tx.fetchCount(WEBHOOK) >= MAX_HOOKS) {
                throw ModprepException.refused("there are already " + MAX_HOOKS + " webhooks: remove one first");
            }
            long id = tx.insertInto(WEBHOOK).set(WEBHOOK.URL, uri.toString()).set(WEBHOOK.SECRET, secret)
                    .set(WEBHOOK.CREATED_AT, now).set(WEBHOOK.CREATED_BY, actor).set(WEBHOOK.SECRET_SET_AT, now)
                    .returning(WEBHOOK.ID).fetchOne().getId();
            return new WithSecret(id, uri.toString(), secret);
        });
    }

    /** A new secret for the hook; the old one signs nothing from now on. */
    public WithSecret rotate(long id) {
        String secret = newSecret();
        int updated = database.dsl().update(WEBHOOK).set(WEBHOOK.SECRET, secret).set(WEBHOOK.SECRET_SET_AT, OffsetDateTime.now(clock))
                .where(WEBHOOK.ID.eq(id)).execute();
        if (updated != 1) {
            throw ModprepException.notFound("there is no webhook #" + id);
        }
        return new WithSecret(id, url(id), secret);
    }

    /** Removes the hook and its deliveries, sent or not. */
    public String remove(long id) {
        String url = url(id);
        database.dsl().deleteFrom(WEBHOOK).where(WEBHOOK.ID.eq(id)).execute();
        return url;
    }

    public String url(long id) {
        String url = database.dsl().select(WEBHOOK.URL).from(WEBHOOK).where(WEBHOOK.ID.eq(id)).fetchOne(WEBHOOK.URL);
        if (url == null) {
            throw ModprepException.notFound("there is no webhook #" + id);
        }
        return url;
    }

    public List<Hook> list() {
        return database.dsl().select(WEBHOOK.ID, WEBHOOK.URL, WEBHOOK.CREATED_AT, WEBHOOK.CREATED_BY, WEBHOOK.SECRET_SET_AT)
                .from(WEBHOOK).orderBy(WEBHOOK.ID).fetch(Records.mapping((id, url, created, by, secretSet) ->
                        new Hook(id, url, created.toInstant(), by, secretSet.toInstant())));
    }

    /** The latest deliveries, newest event first. */
    public List<Delivery> deliveries(int limit) {
        var d = NOTIFICATION_DELIVERY;
        var e = NOTIFICATION_EVENT;
        return database.dsl().select(e.EVENT_KEY, e.EVENT_TYPE, e.OCCURRED_AT, d.WEBHOOK_ID, WEBHOOK.URL, d.STATUS, d.ATTEMPTS,
                        d.LAST_ATTEMPT_AT, d.LAST_RESULT, d.NEXT_ATTEMPT_AT)
                .from(d).join(e).on(e.ID.eq(d.EVENT_ID)).join(WEBHOOK).on(WEBHOOK.ID.eq(d.WEBHOOK_ID))
                .orderBy(e.ID.desc(), d.WEBHOOK_ID).limit(limit)
                .fetch(Records.mapping((key, type, occurred, hook, url, status, attempts, last, result, next) -> new Delivery(key, type,
                        occurred.toInstant(), hook, url, status, attempts, instant(last), result,
                        status == DeliveryStatus.PENDING ? instant(next) : null)));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** 32 random bytes, hex: the HMAC-SHA256 key. */
    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + HexFormat.of().formatHex(bytes);
    }
}
