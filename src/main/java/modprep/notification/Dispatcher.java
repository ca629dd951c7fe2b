package modprep.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import modprep.Json;
import modprep.ModprepException;
import modprep.db.BackgroundLoop;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's deliveries, in the background of a server: claims what is due, POSTs each event
 * signed with its hook's secret and with its idempotency key, and records how it went. A process killed
 * mid-send sends nothing twice on purpose, but the delivery it held is claimed again once it is gone:
 * each event arrives at least once, and receivers tell repeats by the key.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final long POLL_MILLIS = 1_000;

    private final DeliveryClaims claims;
    private final WebhookUrls urls;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final BackgroundLoop loop;
    private final modprep.db.Backoff backoff = new modprep.db.Backoff(LOG, "notifications");

    Dispatcher(DeliveryClaims claims, WebhookUrls urls, Duration requestTimeout) {
        this.claims = claims;
        this.urls = urls;
        this.requestTimeout = requestTimeout;
        // Never follow a redirect: it could lead to an address the URL check refused.
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.loop = new BackgroundLoop("modprep-notifications", true, this::work);
    }

    public Dispatcher start() {
        loop.start();
        return this;
    }

    /** An event was just published in this process: send it now rather than at the next poll. */
    public void wake() {
        loop.wake();
    }

    /** The loop's body: claims due deliveries and sends them, again and again, until stopped. */
    private void work() {
        while (!loop.stopping()) {
            try {
                var batch = claims.claim();
                backoff.succeeded();
                for (var delivery : batch) {
                    send(delivery);
                }
                if (batch.isEmpty()) {
                    loop.pause(POLL_MILLIS);
                }
            } catch (DataAccessException e) {
                if (!loop.stopping()) {
                    loop.pause(backoff.failed(e));
                }
            } catch (RuntimeException e) {
                modprep.db.OutOfMemory.endIfIn(e);
                LOG.error("notifications: unexpected failure", e);
                loop.pause(2_000);
            }
        }
    }

    /** One attempt: 2xx is delivered; anything else (refused URL, error status, no answer) is retried later. */
    void send(DeliveryClaims.Claimed delivery) {
        String result;
        boolean ok = false;
        try {
            var uri = urls.check(delivery.url());
            byte[] body = body(delivery);
            var request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "modprep-webhooks")
                    .header(Signature.EVENT_HEADER, delivery.type().code())
                    .header(Signature.IDEMPOTENCY_HEADER, delivery.eventKey())
                    .header(Signature.HEADER, Signature.of(delivery.secret(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            var response = http.send(request, HttpResponse.BodyHandlers.discarding());
            ok = response.statusCode() / 100 == 2;
            result = "HTTP " + response.statusCode();
        } catch (ModprepException e) {
            result = "not sent: " + e.getMessage();
        } catch (IOException e) {
            result = "no answer: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.stop();
            return; // the lease is given back on close; the delivery is sent again
        }
        if (ok) {
            claims.delivered(delivery, result);
        } else {
            LOG.info("webhook delivery of {} to hook #{} failed: {}", delivery.eventKey(), delivery.hookId(), result);
            claims.failed(delivery, result);
        }
    }

    /** {@code {id, type, occurredAt, data}}: the same bytes on every attempt, so the signature is too. */
    static byte[] body(DeliveryClaims.Claimed delivery) {
        try {
            var envelope = Json.MAPPER.createObjectNode();
            envelope.put("id", delivery.eventKey());
            envelope.put("type", delivery.type().code());
            envelope.put("occurredAt", delivery.occurredAt().toInstant().toString());
            envelope.set("data", Json.MAPPER.readTree(delivery.payload()));
            return Json.MAPPER.writeValueAsString(envelope).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event " + delivery.eventKey() + " is not JSON", e);
        }
    }

    /** Stops after the attempt in progress, and gives back the deliveries still held. */
    @Override
    public void close() {
        loop.close(requestTimeout.toMillis() * (DeliveryClaims.BATCH + 1));
        try {
            claims.releaseAll();
        } catch (RuntimeException e) {
            LOG.debug("could not give the deliveries back: {}", e.getMessage());
        }
    }
}
