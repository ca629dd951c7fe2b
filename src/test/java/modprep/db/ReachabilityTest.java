package modprep.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The shared verdict on a pool of one connection, held by the test so that a second request must wait for it:
 * with the probe answering, the wait is a busy pool and goes on until the connection comes back; with the
 * probe failing, the waiter is woken and refused, and so is every request until the probe answers again.
 */
class ReachabilityTest {
    private final HikariDataSource pool = pool();
    private final AtomicReference<SQLException> probeFails = new AtomicReference<>();
    private final AtomicInteger probes = new AtomicInteger();
    /** Released at each probe, so that the test waits for one instead of for a time. */
    private final Semaphore probed = new Semaphore(0);
    private final AtomicInteger backs = new AtomicInteger();
    private final Reachability reachability = new Reachability("test", () -> {
        probes.incrementAndGet();
        probed.release();
        var failure = probeFails.get();
        if (failure != null) {
            throw failure;
        }
        return null;
    }, backs::incrementAndGet);
    private final GuardedPool guarded = new GuardedPool(pool, reachability);

    private static HikariDataSource pool() {
        var config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:reachability-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(120_000); // bounds a hang only: the test never waits it out
        return new HikariDataSource(config);
    }

    @AfterEach
    void close() {
        reachability.close();
        pool.close();
    }

    private CompletableFuture<Connection> waiter() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return guarded.getConnection();
            } catch (SQLException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    @Test
    void a_request_waiting_on_a_busy_pool_waits_on_while_the_database_answers_S4() throws Exception {
        try (var held = guarded.getConnection()) {
            var waiting = waiter();
            assertTrue(probed.tryAcquire(1, TimeUnit.MINUTES), "a request that waits asks the probe");
            assertFalse(waiting.isDone(), "busy, not down: still waiting for the pool");
            assertFalse(reachability.isDown());
            held.close(); // back to the pool: the waiter gets it
            try (var got = waiting.get(1, TimeUnit.MINUTES)) {
                assertTrue(got.isValid(1));
            }
        }
        assertFalse(Thread.interrupted(), "no interrupt left behind");
    }

    @Test
    void a_database_that_does_not_answer_wakes_the_waiters_and_refuses_at_once_until_it_is_back_S4() throws Exception {
        probeFails.set(new SQLException("Connection to 127.0.0.1:5432 refused.", "08001"));
        try (var held = guarded.getConnection()) {
            var waiting = waiter();
            var failure = assertThrows(ExecutionException.class, () -> waiting.get(1, TimeUnit.MINUTES));
            assertTrue(failure.getCause() instanceof DatabaseDown, String.valueOf(failure.getCause()));
            assertTrue(failure.getCause().getMessage().contains("not answering: Connection to 127.0.0.1:5432 refused"));
            assertTrue(reachability.isDown());

            int probesSoFar = probes.get();
            assertThrows(DatabaseDown.class, guarded::getConnection, "refused at once, though the pool could wait");
            assertTrue(probes.get() - probesSoFar <= 1, "a refusal makes no probe of its own");
            assertTrue(Database.connectionLost(new org.jooq.exception.DataAccessException("SQL [select 1]", new DatabaseDown("x", null))));
        }
        probeFails.set(null);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (reachability.isDown() && System.nanoTime() < deadline) {
            probed.tryAcquire(1, TimeUnit.SECONDS); // the next background probe
        }
        assertFalse(reachability.isDown(), "a probe that answers ends the outage");
        assertEquals(1, backs.get(), "the pool's connections are replaced once");
        try (var connection = guarded.getConnection()) {
            assertTrue(connection.isValid(1));
        }
    }

    @Test
    void too_many_connections_is_a_busy_server_not_a_database_down_S4() {
        probeFails.set(new SQLException("sorry, too many clients already", "53300"));
        assertTrue(reachability.answers());
        assertFalse(reachability.isDown());
    }

    @Test
    void the_backoff_doubles_from_half_a_second_to_its_cap_and_starts_again_after_a_success() {
        var backoff = new Backoff(LoggerFactory.getLogger(ReachabilityTest.class), "test");
        var failure = new RuntimeException("down");
        assertEquals(500, backoff.failed(failure));
        assertEquals(1_000, backoff.failed(failure));
        assertEquals(2_000, backoff.failed(failure));
        assertEquals(4_000, backoff.failed(failure));
        assertEquals(Backoff.CAP_MILLIS, backoff.failed(failure));
        for (int i = 0; i < 100; i++) {
            assertEquals(Backoff.CAP_MILLIS, backoff.failed(failure));
        }
        backoff.succeeded();
        assertFalse(backoff.failing());
        assertEquals(500, backoff.failed(failure));
    }
}
