package modprep.settings;

import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.INSTALLATION_SETTING;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.preparation.Leases;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, item 1: installation settings in the database, one home each, refused during a run where they would disturb it. */
class InstallationSettingsTest {
    private static final Source ASKED = Source.request("a test");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Modprep imported() {
        return imported("11.16.1");
    }

    private Modprep imported(String version) {
        var app = TestEnvironment.newModprep(CLOCK);
        app.importer().importFolder(new TestEnvironment(version).module("Core").module("Web", "Core").module("Shop", "Web")
                .write(dir.resolve("env")), "setup");
        return app;
    }

    @Test
    void with_no_rows_every_setting_has_its_default_and_group_size_cannot_be_set_before_an_environment_exists() {
        try (var app = TestEnvironment.newModprep(CLOCK)) {
            var values = app.installationSettings().values();
            assertEquals(10, values.groupSize());
            assertEquals(false, values.progressive());
            assertEquals(Duration.ofSeconds(15), values.leaseTimeout());
            assertEquals(Duration.ofSeconds(2), values.heartbeatInterval());
            assertEquals(Optional.empty(), values.runRetention());
            assertEquals(List.of(), values.trustedProxies());
            assertTrue(values.all().stream().allMatch(v -> v.source() == Source.DEFAULT));
            var e = assertThrows(ModprepException.class, () -> app.installationSettings().set("group-size", "5", ASKED, "test"));
            assertEquals(ModprepException.Kind.REFUSED, e.kind());
            assertTrue(e.getMessage().contains("import one first"), e.getMessage());
        }
    }

    @Test
    void group_size_and_progressive_are_kept_in_the_environment_row_and_the_next_run_is_planned_with_them() {
        try (var app = imported("11.14.1")) {
            var settings = app.installationSettings();
            var change = settings.set("group-size", " 1 ", ASKED, "test");
            assertEquals("group-size: 10 → 1", change.toString());
            settings.set("progressive-preparation", "true", ASKED, "test");
            var row = app.database().dsl().selectFrom(ENVIRONMENT).fetchOne();
            assertEquals(1, row.getGroupSize(), "one home: the environment's column");
            assertEquals(true, row.getProgressiveEnabled());
            assertEquals(0, app.database().dsl().fetchCount(INSTALLATION_SETTING), "nothing of them in the new table");
            assertEquals(Source.DATABASE, settings.values().value(SettingKeys.GROUP_SIZE).source());
            long run = app.preparations().upgrade("11.16.1", "setup").runId();
            var planned = app.database().dsl().selectFrom(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(run)).fetchOne();
            assertEquals(3, planned.getGroupCount(), "three modules in groups of one");
            assertEquals("progressive", planned.getMode().code());
        }
    }

    @Test
    void while_a_run_is_in_progress_the_settings_that_would_disturb_it_are_refused_naming_the_run_and_the_others_change() {
        try (var app = imported()) {
            long run = app.preparations().upgrade("11.17.0", "setup").runId();
            var settings = app.installationSettings();
            for (var name : List.of("group-size", "progressive-preparation", "lease-timeout", "heartbeat-interval")) {
                var key = SettingKeys.find(SettingKey.Scope.INSTALLATION, name).orElseThrow();
                assertEquals(Optional.of("preparation run #" + run + " (11.16.1 → 11.17.0)"), settings.blockedBy(key));
                String value = java.util.Map.of("group-size", "5", "progressive-preparation", "true", "lease-timeout", "30s",
                        "heartbeat-interval", "1s").get(name);
                var e = assertThrows(ModprepException.class, () -> settings.set(name, value, ASKED, "test"));
                assertEquals(ModprepException.Kind.REFUSED, e.kind());
                assertTrue(e.getMessage().startsWith("setting " + name + " cannot be changed while preparation run #" + run
                        + " (11.16.1 → 11.17.0) is in progress: "), e.getMessage());
                assertTrue(e.getMessage().endsWith("Nothing was changed; change it once the run has ended."), e.getMessage());
            }
            assertEquals(10, settings.values().groupSize(), "nothing was changed");
            settings.set("audit-retention", "365d", ASKED, "test");
            settings.set("trusted-proxies", "10.0.0.1, 192.168.0.0/16, ::1", ASKED, "test");
            assertEquals(Optional.of(Duration.ofDays(365)), settings.values().auditRetention());
            assertEquals(List.of("10.0.0.1", "192.168.0.0/16", "::1"), settings.values().trustedProxies());
        }
    }

    @Test
    void bad_values_and_unknown_names_are_refused_in_one_line_and_change_nothing() {
        try (var app = imported()) {
            var settings = app.installationSettings();
            assertEquals("bad setting group-size (from a test): '0' is out of range; allowed: a whole number from 1 to 1000",
                    assertThrows(ModprepException.class, () -> settings.set("group-size", "0", ASKED, "t")).getMessage());
            assertEquals("bad setting run-retention (from a test): '12h' is shorter than a day; allowed: a duration of at least 1d "
                    + "(90d, 12h is too short), or 0 or off to keep for ever",
                    assertThrows(ModprepException.class, () -> settings.set("run-retention", "12h", ASKED, "t")).getMessage());
            assertEquals("bad setting trusted-proxies (from a test): '10.0.0.0/33' has '10.0.0.0/33', which is not an IP address or CIDR "
                    + "range; allowed: IP addresses or CIDR ranges separated by commas (10.0.0.5, 10.1.0.0/16), or nothing",
                    assertThrows(ModprepException.class, () -> settings.set("trusted-proxies", "10.0.0.0/33", ASKED, "t")).getMessage());
            assertTrue(assertThrows(ModprepException.class, () -> settings.set("heartbeat-interval", "6s", ASKED, "t")).getMessage()
                    .startsWith("bad setting heartbeat-interval (from a test): '6s' does not fit: heartbeat-interval 6s is more than a "
                            + "third of lease-timeout 15s; allowed: "));
            assertTrue(assertThrows(ModprepException.class, () -> settings.set("port", "80", ASKED, "t")).getMessage()
                    .startsWith("unknown setting 'port' (from a test); known installation settings: group-size, progressive-preparation"));
            assertEquals(10, settings.values().groupSize());
            assertEquals(0, app.database().dsl().fetchCount(INSTALLATION_SETTING));
        }
    }

    @Test
    void the_engine_takes_its_lease_timeout_and_heartbeat_interval_from_the_installation_settings() {
        try (var app = imported()) {
            app.installationSettings().set("lease-timeout", "2m", ASKED, "test");
            app.installationSettings().set("heartbeat-interval", "10s", ASKED, "test");
            long run = app.preparations().upgrade("11.17.0", "setup").runId();
            var leases = new Leases(app.database(), CLOCK);
            assertEquals(Duration.ofSeconds(10), leases.heartbeatInterval());
            var dsl = app.database().dsl();
            var before = dsl.select(org.jooq.impl.DSL.currentOffsetDateTime()).fetchOne().value1();
            assertEquals(run, leases.claim());
            var after = dsl.select(org.jooq.impl.DSL.currentOffsetDateTime()).fetchOne().value1();
            var expires = dsl.select(PREPARATION_RUN.LEASE_EXPIRES_AT).from(PREPARATION_RUN)
                    .where(PREPARATION_RUN.ID.eq(run)).fetchOne(PREPARATION_RUN.LEASE_EXPIRES_AT);
            // On the database's clock (L1), not the engine's (CLOCK is hours away from it).
            assertFalse(expires.isBefore(before.plusMinutes(2)), expires + " is 2 minutes after the claim, by the database's clock");
            assertFalse(expires.isAfter(after.plusMinutes(2)), expires + " is 2 minutes after the claim, by the database's clock");
        }
    }

    @Test
    void a_row_of_a_setting_this_version_does_not_know_is_left_alone() {
        try (var app = imported()) {
            app.database().dsl().insertInto(INSTALLATION_SETTING).set(INSTALLATION_SETTING.NAME, "from-a-newer-version")
                    .set(INSTALLATION_SETTING.SETTING_VALUE, "x").set(INSTALLATION_SETTING.CHANGED_AT, OffsetDateTime.now(CLOCK))
                    .set(INSTALLATION_SETTING.CHANGED_BY, "test").execute();
            assertEquals(SettingKeys.of(SettingKey.Scope.INSTALLATION).size(), app.installationSettings().values().all().size());
        }
    }
}
