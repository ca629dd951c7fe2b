package modprep.notification;

import static modprep.db.schema.Tables.NOTIFICATION_DELIVERY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import modprep.Json;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.status.DeliveryStatus;
import modprep.status.EventType;
import modprep.testing.TestEnvironment;
import modprep.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks against a local receiver: signed, keyed, retried, claimed by one node at a time, never to private addresses. */
class WebhooksTest {
    private static final Duration WAIT = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    private static Database database() {
        return Database.inMemory("webhooks-" + UUID.randomUUID());
    }

    /** Private addresses allowed (the receiver is on 127.0.0.1), retries after 1 ms. */
    private static Notifications notifications(Database database) {
        return new Notifications(database, Clock.systemUTC(), () -> true, Duration.ofMillis(1));
    }

    private static List<DeliveryStatus> statuses(Database database) {
        return database.dsl().select(NOTIFICATION_DELIVERY.STATUS).from(NOTIFICATION_DELIVERY).fetch(NOTIFICATION_DELIVERY.STATUS);
    }

    @Test
    void an_event_is_posted_signed_with_the_hooks_secret_and_its_idempotency_key() throws Exception {
        try (var database = database(); var receiver = new WebhookReceiver()) {
            var notifications = notifications(database);
            var hook = notifications.webhooks().add(receiver.url("/hook"), "alice");
            String key = notifications.outbox().publish(EventType.RUN_STARTED, Map.of("runId", 7));
            try (var dispatcher = notifications.dispatcher().start()) {
                TestEnvironment.awaitTrue("the event is received", WAIT, () -> !receiver.received().isEmpty());
            }
            var got = receiver.received().get(0);
            assertEquals("/hook", got.path());
            assertEquals(key, got.idempotencyKey());
            assertEquals("run.started", got.event());
            assertEquals(Signature.of(hook.secret(), got.body()), got.signature(), "HMAC-SHA256 of the body under the secret");
            assertEquals("sha256=" + hmacHex(hook.secret(), got.body()), got.signature(), "computed independently");
            var body = Json.MAPPER.readTree(got.body());
            assertEquals(key, body.get("id").asText());
            assertEquals(7, body.get("data").get("runId").asInt());
            TestEnvironment.awaitTrue("the delivery is recorded", WAIT, () -> statuses(database).equals(List.of(DeliveryStatus.DELIVERED)));
            var log = notifications.webhooks().deliveries(10);
            assertEquals(1, log.get(0).attempts());
            assertEquals("HTTP 204", log.get(0).lastResult());
        }
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        var mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void a_receiver_that_fails_is_sent_the_same_event_again_until_it_answers_2xx() {
        try (var database = database(); var receiver = new WebhookReceiver(n -> n <= 2 ? 500 : 200)) {
            var notifications = notifications(database);
            var hook = notifications.webhooks().add(receiver.url("/flaky"), "alice");
            String key = notifications.outbox().publish(EventType.RUN_ENDED, Map.of("runId", 1));
            try (var dispatcher = notifications.dispatcher().start()) {
                TestEnvironment.awaitTrue("delivered", WAIT, () -> statuses(database).equals(List.of(DeliveryStatus.DELIVERED)));
            }
            var got = receiver.received();
            assertEquals(3, got.size(), "two errors, then the success");
            assertEquals(Set.of(key), got.stream().map(WebhookReceiver.Received::idempotencyKey).collect(Collectors.toSet()));
            assertEquals(1, got.stream().map(WebhookReceiver.Received::text).distinct().count(), "the same body each time");
            got.forEach(r -> assertEquals(Signature.of(hook.secret(), r.body()), r.signature()));
            assertEquals(3, notifications.webhooks().deliveries(10).get(0).attempts());
        }
    }

    @Test
    void the_backoff_doubles_from_the_first_and_stops_at_fifteen_minutes() {
        var claims = new DeliveryClaims(null, Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(5), claims.backoff(1));
        assertEquals(Duration.ofSeconds(10), claims.backoff(2));
        assertEquals(Duration.ofSeconds(640), claims.backoff(8));
        assertEquals(Duration.ofMinutes(15), claims.backoff(9));
        assertEquals(Duration.ofMinutes(15), claims.backoff(DeliveryClaims.MAX_ATTEMPTS));
    }

    @Test
    void a_rotated_secret_signs_what_is_sent_after_and_is_not_the_old_one() {
        try (var database = database(); var receiver = new WebhookReceiver()) {
            var notifications = notifications(database);
            var hook = notifications.webhooks().add(receiver.url("/hook"), "alice");
            var rotated = notifications.webhooks().rotate(hook.id());
            assertNotEquals(hook.secret(), rotated.secret());
            notifications.outbox().publish(EventType.DEPLOYMENT_ENDED, Map.of("deployment", 3));
            try (var dispatcher = notifications.dispatcher().start()) {
                TestEnvironment.awaitTrue("received", WAIT, () -> !receiver.received().isEmpty());
            }
            var got = receiver.received().get(0);
            assertEquals(Signature.of(rotated.secret(), got.body()), got.signature());
            assertThrows(ModprepException.class, () -> notifications.webhooks().rotate(hook.id() + 100));
        }
    }

    @Test
    void two_nodes_on_one_database_deliver_every_event_and_claim_each_delivery_once() {
        try (var database = database(); var receiver = new WebhookReceiver()) {
            var first = notifications(database);
            first.webhooks().add(receiver.url("/a"), "alice");
            first.webhooks().add(receiver.url("/b"), "alice");
            var keys = new TreeSet<String>();
            for (int i = 0; i < 40; i++) {
                keys.add(first.outbox().publish(EventType.RUN_STARTED, Map.of("runId", i)));
            }
            try (var one = first.dispatcher().start(); var two = notifications(database).dispatcher().start()) {
                TestEnvironment.awaitTrue("all delivered", WAIT, () -> statuses(database).stream().allMatch(DeliveryStatus.DELIVERED::equals));
            }
            var got = receiver.received();
            assertEquals(80, got.size(), "40 events to 2 hooks, each sent once: no receiver errors, so no repeats");
            for (String path : List.of("/a", "/b")) {
                assertEquals(keys, got.stream().filter(r -> r.path().equals(path)).map(WebhookReceiver.Received::idempotencyKey)
                        .collect(Collectors.toCollection(TreeSet::new)), path);
            }
        }
    }

    /** The database's clock now. */
    private static java.time.OffsetDateTime databaseNow(Database database) {
        return database.dsl().select(org.jooq.impl.DSL.currentOffsetDateTime()).fetchOne().value1();
    }

    private static java.time.OffsetDateTime column(Database database, org.jooq.TableField<?, java.time.OffsetDateTime> field) {
        return database.dsl().select(field).from(NOTIFICATION_DELIVERY).fetchSingle().value1();
    }

    @Test
    void deliveries_are_due_and_leased_on_the_database_clock_so_nodes_an_hour_off_neither_wait_nor_steal_L1() {
        var hour = Duration.ofHours(1);
        try (var database = database()) {
            var ahead = Clock.offset(Clock.systemUTC(), hour);
            var behind = Clock.offset(Clock.systemUTC(), hour.negated());
            new Notifications(database, ahead, () -> true).webhooks().add("http://127.0.0.1:9/hook", "alice");
            new Outbox(database, ahead).publish(EventType.RUN_STARTED, Map.of("runId", 1));
            var lease = Duration.ofSeconds(10).multipliedBy(DeliveryClaims.BATCH).plusSeconds(30);
            var claimsAhead = new DeliveryClaims(database, ahead, Duration.ofSeconds(10), Duration.ofMinutes(1));
            var claimsBehind = new DeliveryClaims(database, behind, Duration.ofSeconds(10), Duration.ofMinutes(1));

            var before = databaseNow(database);
            var claimed = claimsBehind.claim();
            assertEquals(1, claimed.size(), "published by the node ahead, due at once for the node behind");
            var expires = column(database, NOTIFICATION_DELIVERY.LEASE_EXPIRES_AT);
            assertTrue(!expires.isBefore(before.plus(lease)) && !expires.isAfter(databaseNow(database).plus(lease)),
                    "the lease runs from the claim by the database's clock, not an hour early: " + expires);
            assertEquals(List.of(), claimsAhead.claim(), "the node an hour ahead does not see the live lease as expired");

            database.dsl().update(NOTIFICATION_DELIVERY).set(NOTIFICATION_DELIVERY.LEASE_EXPIRES_AT,
                    org.jooq.impl.DSL.currentOffsetDateTime().minus(org.jooq.types.DayToSecond.valueOf(Duration.ofSeconds(1)))).execute();
            claimed = claimsBehind.claim();
            assertEquals(1, claimed.size(), "the node an hour behind takes over a lease expired by the database's clock");

            before = databaseNow(database);
            claimsBehind.failed(claimed.get(0), "HTTP 500");
            var next = column(database, NOTIFICATION_DELIVERY.NEXT_ATTEMPT_AT);
            assertTrue(!next.isBefore(before.plusMinutes(1)) && !next.isAfter(databaseNow(database).plusMinutes(1)),
                    "tried again a backoff after the failure by the database's clock, not an hour early: " + next);
        }
    }

    @Test
    void a_hook_added_after_an_event_is_not_sent_it() {
        try (var database = database()) {
            var notifications = notifications(database);
            notifications.outbox().publish(EventType.RUN_STARTED, Map.of("runId", 1));
            notifications.webhooks().add("http://127.0.0.1:9/late", "alice");
            assertEquals(List.of(), statuses(database));
        }
    }

    @Test
    void urls_to_loopback_link_local_and_private_addresses_are_refused_unless_allowed() {
        try (var database = database()) {
            var strict = new Notifications(database, Clock.systemUTC(), () -> false).webhooks();
            for (String url : List.of("http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]/hook",
                    "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/hook", "http://10.1.2.3/hook",
                    "http://172.16.0.1/hook", "http://192.168.1.1/hook", "http://[fd00::1]/hook", "http://100.64.0.1/hook",
                    "http://0.0.0.0/hook", "http://[::ffff:127.0.0.1]/hook")) {
                var refused = assertThrows(ModprepException.class, () -> strict.add(url, "alice"), url);
                assertEquals(ModprepException.Kind.REFUSED, refused.kind(), url);
                assertTrue(refused.getMessage().contains("unless the installation allows private addresses"), refused.getMessage());
            }
            for (String url : List.of("ftp://example.com/", "not a url", "", "http:///nohost", "http://user:pw@example.com/")) {
                assertEquals(ModprepException.Kind.BAD_INPUT, assertThrows(ModprepException.class, () -> strict.add(url, "alice"), url).kind(), url);
            }
            assertEquals(List.of(), strict.list(), "nothing refused was stored");
            var hook = strict.add("http://93.184.216.34/hook", "alice");
            assertEquals("http://93.184.216.34/hook", hook.url(), "a public address is accepted");
            var allowing = new Notifications(database, Clock.systemUTC(), () -> true).webhooks();
            assertEquals("http://127.0.0.1:8080/hook", allowing.add("http://127.0.0.1:8080/hook", "alice").url());
        }
    }

    @Test
    void every_address_a_host_resolves_to_is_checked() throws Exception {
        assertNull(WebhookUrls.privateKind(InetAddress.getByName("93.184.216.34")));
        assertEquals("link-local", WebhookUrls.privateKind(InetAddress.getByName("169.254.169.254")));
        assertEquals("link-local", WebhookUrls.privateKind(InetAddress.getByName("fe80::1")));
        // localhost resolves to 127.0.0.1 and often ::1 as well: each is loopback.
        for (var address : InetAddress.getAllByName("localhost")) {
            assertEquals("loopback", WebhookUrls.privateKind(address), address.toString());
        }
    }

    @Test
    void a_delivery_to_a_url_refused_at_sending_time_is_not_sent_and_is_retried_later() {
        try (var database = database(); var receiver = new WebhookReceiver()) {
            notifications(database).webhooks().add(receiver.url("/hook"), "alice");
            var strict = new Notifications(database, Clock.systemUTC(), () -> false, Duration.ofHours(1));
            strict.outbox().publish(EventType.RUN_STARTED, Map.of("runId", 1));
            try (var dispatcher = strict.dispatcher().start()) {
                TestEnvironment.awaitTrue("the attempt is recorded", WAIT,
                        () -> !strict.webhooks().deliveries(1).isEmpty() && strict.webhooks().deliveries(1).get(0).attempts() == 1);
            }
            assertEquals(List.of(), receiver.received());
            var entry = strict.webhooks().deliveries(1).get(0);
            assertEquals(DeliveryStatus.PENDING, entry.status());
            assertTrue(entry.lastResult().startsWith("not sent: the webhook's host 127.0.0.1 resolves to 127.0.0.1, a loopback address"),
                    entry.lastResult());
        }
    }

    @Test
    void a_run_tells_webhooks_when_it_starts_and_when_it_ends() throws Exception {
        try (var app = TestEnvironment.newModprep(); var receiver = new WebhookReceiver()) {
            app.importer().importFolder(new TestEnvironment("11.16.1").module("Core").module("Web", "Core").write(dir.resolve("env")), "t");
            var notifications = notifications(app.database());
            notifications.webhooks().add(receiver.url("/runs"), "alice");
            long runId = app.preparations().upgrade("11.17.0", "alice").runId();
            try (var worker = app.worker(modprep.preparation.WorkerKind.CLI).start(); var dispatcher = notifications.dispatcher().start()) {
                TestEnvironment.awaitTrue("both events received", WAIT, () -> receiver.received().size() == 2);
            }
            var started = Json.MAPPER.readTree(receiver.received().get(0).body());
            var ended = Json.MAPPER.readTree(receiver.received().get(1).body());
            assertEquals("run.started", started.get("type").asText());
            assertEquals(runId, started.get("data").get("runId").asLong());
            assertEquals("11.17.0", started.get("data").get("toVersion").asText());
            assertEquals("alice", started.get("data").get("startedBy").asText());
            assertEquals("run.ended", ended.get("type").asText());
            assertEquals(runId, ended.get("data").get("runId").asLong());
            assertEquals("succeeded", ended.get("data").get("status").asText());
            assertEquals(2, ended.get("data").get("modules").get("prepared").asInt());
        }
    }
}
