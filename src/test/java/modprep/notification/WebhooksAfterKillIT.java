package modprep.notification;

import static modprep.db.schema.Tables.NOTIFICATION_DELIVERY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import modprep.db.Database;
import modprep.status.DeliveryStatus;
import modprep.testing.ModprepProcess;
import modprep.testing.TestEnvironment;
import modprep.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At least once, across a SIGKILL of the server in the middle of sending (the packaged jar, as a child process). */
class WebhooksAfterKillIT {
    private static final Map<String, String> ALLOW_PRIVATE = Map.of("MODPREP_ADMIN_PASSWORD", "webhooks after a kill");

    @TempDir
    Path dir;

    @Test
    void a_server_killed_while_sending_an_event_has_it_sent_again_with_the_same_key_after_a_restart() throws Exception {
        Path env = dir.resolve("env");
        Path data = dir.resolve("data");
        assertEquals(0, ModprepProcess.run("demo", "--out", env.toString(), "--modules", "12").exitCode());
        assertEquals(0, ModprepProcess.run("--data", data.toString(), "import", env.toString()).exitCode());
        // The receiver is on 127.0.0.1: the installation lets webhooks reach private addresses.
        assertEquals(0, ModprepProcess.run("--data", data.toString(), "settings", "set", "webhooks-to-private-addresses", "true").exitCode());
        var held = new CountDownLatch(1);
        // The first request is held open until the server that sent it is gone; every later one succeeds.
        try (var receiver = new WebhookReceiver(n -> n == 1 ? hold(held) : 204)) {
            String secret;
            try (var database = Database.open(data)) {
                secret = new Notifications(database, Clock.systemUTC(), () -> true).webhooks().add(receiver.url("/hook"), "test").secret();
            }
            // A run started and ended by the CLI, which sends nothing itself: both events wait in the outbox.
            var upgrade = ModprepProcess.run("--data", data.toString(), "upgrade", "--to", "11.17.0");
            assertTrue(upgrade.out().contains("Preparation run #1"), upgrade.output()); // exit 1 if the demo's run has failures
            assertEquals(List.of(DeliveryStatus.PENDING, DeliveryStatus.PENDING), statuses(data));

            try (var server = ModprepProcess.start(ALLOW_PRIVATE, "--data", data.toString(), "serve", "--port", "0", "--host", "127.0.0.1")) {
                server.consolePort();
                TestEnvironment.awaitTrue("the first request arrives", Duration.ofMinutes(2), () -> !receiver.received().isEmpty());
                server.kill();
            } finally {
                held.countDown();
            }
            String firstKey = receiver.received().get(0).idempotencyKey();
            assertEquals(List.of(DeliveryStatus.PENDING, DeliveryStatus.PENDING), statuses(data), "nothing recorded as delivered");

            try (var server = ModprepProcess.start(ALLOW_PRIVATE, "--data", data.toString(), "serve", "--port", "0", "--host", "127.0.0.1")) {
                server.consolePort();
                TestEnvironment.awaitTrue("both events delivered", Duration.ofMinutes(2),
                        () -> statuses(data).equals(List.of(DeliveryStatus.DELIVERED, DeliveryStatus.DELIVERED)));
            }
            var received = receiver.received();
            var byKey = received.stream().collect(Collectors.groupingBy(WebhookReceiver.Received::idempotencyKey, Collectors.counting()));
            assertEquals(2, byKey.size(), "two events: " + byKey);
            assertEquals(2L, byKey.get(firstKey), "the event being sent when the server was killed is sent again, with its key");
            received.forEach(r -> assertEquals(Signature.of(secret, r.body()), r.signature()));
            assertEquals(List.of("run.started", "run.ended"), received.stream().skip(1).map(WebhookReceiver.Received::event).toList());
        }
    }

    private static int hold(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 500;
    }

    private static List<DeliveryStatus> statuses(Path data) {
        return ModprepProcess.read(data, dsl -> dsl.select(NOTIFICATION_DELIVERY.STATUS).from(NOTIFICATION_DELIVERY)
                .orderBy(NOTIFICATION_DELIVERY.EVENT_ID).fetch(NOTIFICATION_DELIVERY.STATUS));
    }
}
