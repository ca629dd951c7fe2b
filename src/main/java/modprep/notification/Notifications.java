package modprep.notification;

import java.time.Clock;
import java.time.Duration;
import modprep.db.Database;

/**
 * Webhooks on one database: their configuration, the outbox events go through, and the dispatcher
 * that sends them. Whether webhooks may point at loopback, link-local or private addresses is the
 * installation's choice (the installation setting {@code webhooks-to-private-addresses}, false by default),
 * asked at each check so that a change applies at once.
 */
public final class Notifications {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);

    private final Database database;
    private final Clock clock;
    private final WebhookUrls urls;
    private final Duration firstBackoff;

    public Notifications(Database database, Clock clock, java.util.function.BooleanSupplier allowPrivateAddresses) {
        this(database, clock, allowPrivateAddresses, FIRST_BACKOFF);
    }

    /** @param firstBackoff how long before the first retry (doubling each time after) */
    public Notifications(Database database, Clock clock, java.util.function.BooleanSupplier allowPrivateAddresses, Duration firstBackoff) {
        this.database = database;
        this.clock = clock;
        this.urls = new WebhookUrls(allowPrivateAddresses);
        this.firstBackoff = firstBackoff;
    }

    public Webhooks webhooks() {
        return new Webhooks(database, clock, urls);
    }

    public Outbox outbox() {
        return new Outbox(database, clock);
    }

    /** A dispatcher for this process, not yet started. */
    public Dispatcher dispatcher() {
        return new Dispatcher(new DeliveryClaims(database, clock, REQUEST_TIMEOUT, firstBackoff), urls, REQUEST_TIMEOUT);
    }
}
