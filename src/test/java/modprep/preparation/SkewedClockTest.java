package modprep.preparation;

import static modprep.db.schema.Tables.PREPARATION_RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import modprep.Modprep;
import modprep.settings.Source;
import modprep.status.RunStatus;
import modprep.testing.Builds;
import modprep.testing.TestEnvironment;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * L1: leases are reckoned on the database's clock, never a node's. Two workers share one database, one
 * whose clock is an hour ahead and one an hour behind: neither takes the other's live lease (on its own
 * clock, the one ahead would see every lease long expired), and a lease its holder stopped renewing is
 * taken over once the lease-timeout has passed by the database's clock.
 */
class SkewedClockTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration LEASE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Modprep imported() {
        var app = TestEnvironment.newModprep();
        var env = new TestEnvironment("11.16.1").module("Core").module("Util").module("Mid", "Core").module("Top", "Mid", "Util")
                .module("Lone");
        app.importer().importFolder(env.write(dir.resolve("env")), "test");
        app.installationSettings().set("heartbeat-interval", "1s", Source.request("a test"), "test");
        app.installationSettings().set("lease-timeout", "5s", Source.request("a test"), "test");
        return app;
    }

    private static Clock skewed(Duration by) {
        return Clock.offset(Clock.systemUTC(), by);
    }

    private static OffsetDateTime databaseNow(Modprep app) {
        return app.database().dsl().select(DSL.currentOffsetDateTime()).fetchOne().value1();
    }

    private static OffsetDateTime expiry(Modprep app, long runId) {
        return app.database().dsl().select(PREPARATION_RUN.LEASE_EXPIRES_AT).from(PREPARATION_RUN)
                .where(PREPARATION_RUN.ID.eq(runId)).fetchOne().value1();
    }

    @Test
    void a_node_an_hour_ahead_or_behind_takes_no_live_lease_and_gets_its_own_expiry_on_the_database_clock_L1() {
        try (var app = imported()) {
            long run = app.preparations().upgrade("11.17.0", "alice").runId();
            var ahead = new Leases(app.database(), skewed(HOUR));
            var behind = new Leases(app.database(), skewed(HOUR.negated()));

            var before = databaseNow(app);
            assertEquals(run, behind.claim(), "the node behind claims the free run");
            var after = databaseNow(app);
            var expires = expiry(app, run);
            assertFalse(expires.isBefore(before.plus(LEASE)) || expires.isAfter(after.plus(LEASE)),
                    "the lease runs the lease-timeout from the claim by the database's clock, not an hour early: " + expires);
            assertNull(ahead.claim(), "the node an hour ahead does not see the live lease as expired");

            behind.release(run);
            assertEquals(run, ahead.claim(), "the node ahead claims the run once it is released");
            expires = expiry(app, run);
            assertFalse(expires.isAfter(databaseNow(app).plus(LEASE)), "nor is its lease an hour too long: " + expires);
            assertNull(behind.claim(), "the node an hour behind respects the live lease too");
        }
    }

    @Test
    void a_lease_no_longer_renewed_is_taken_over_once_the_lease_timeout_has_passed_by_the_database_clock_L1() {
        try (var app = imported()) {
            long run = app.preparations().upgrade("11.17.0", "alice").runId();
            var ahead = new Leases(app.database(), skewed(HOUR));
            var behind = new Leases(app.database(), skewed(HOUR.negated()));
            // The node ahead claims and then says nothing more (alive, but stuck: only its lease's expiry frees the run).
            assertEquals(run, ahead.claim());
            var expires = expiry(app, run);
            assertNull(behind.claim(), "not before its expiry");
            TestEnvironment.awaitTrue("the database's clock passes the lease's expiry", Duration.ofSeconds(30),
                    () -> databaseNow(app).isAfter(expires));
            assertEquals(run, behind.claim(), "the node behind takes the run over once the lease expired by the database's clock");
            var lost = org.junit.jupiter.api.Assertions.assertThrows(Leases.LeaseLost.class, () -> app.database().transaction(tx -> {
                ahead.renew(tx, run);
                return null;
            }));
            assertEquals("the lease on run #" + run + " was lost", lost.getMessage());
        }
    }

    @Test
    void two_workers_an_hour_apart_share_a_run_without_compiling_anything_twice_L1_P12() {
        try (var app = imported()) {
            TestEnvironment.setGroupSize(app, 1);
            int imported = Builds.compilations(app);
            long run = app.preparations().upgrade("11.17.0", "alice").runId();
            try (var ahead = new Worker(app.compilations(), skewed(HOUR), WorkerKind.SERVER).start();
                 var behind = new Worker(app.compilations(), skewed(HOUR.negated()), WorkerKind.SERVER).start()) {
                var ended = TestEnvironment.awaitEnd(app, run, Duration.ofSeconds(60));
                assertEquals(RunStatus.SUCCEEDED, ended.status());
                assertEquals(List.of("Core", "Lone", "Mid", "Top", "Util"), TestEnvironment.byStatus(ended).get("prepared"));
            }
            assertEquals(imported + 5, Builds.compilations(app), "each module compiled exactly once: no lease was taken from a live worker");
        }
    }
}
