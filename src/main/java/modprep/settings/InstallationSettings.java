package modprep.settings;

import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.INSTALLATION_SETTING;
import static modprep.db.schema.Tables.PREPARATION_RUN;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Optional;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.status.RunStatus;
import org.jooq.DSLContext;

/**
 * The installation settings, shared by every node, in the database. Group size and progressive preparation
 * live in the environment row (its columns are their one home); the others in installation_setting, one row
 * per setting changed. A setting without a row has its default.
 */
public final class InstallationSettings {
    private static final SettingKey.Scope SCOPE = SettingKey.Scope.INSTALLATION;

    private final Database database;
    private final Clock clock;

    public InstallationSettings(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** What a change did, for the audit and the person who asked. */
    public record Change(SettingKey key, String before, String after) {
        @Override
        public String toString() {
            return key.name() + ": " + key.shown(before) + " → " + key.shown(after);
        }
    }

    /** The settings now. */
    public InstallationValues values() {
        return read(database.dsl());
    }

    private static InstallationValues read(DSLContext dsl) {
        var values = new LinkedHashMap<SettingKey, SettingValue>();
        var environment = dsl.select(ENVIRONMENT.GROUP_SIZE, ENVIRONMENT.PROGRESSIVE_ENABLED).from(ENVIRONMENT).fetchOne();
        if (environment != null) {
            values.put(SettingKeys.GROUP_SIZE, stored(SettingKeys.GROUP_SIZE, String.valueOf(environment.value1()), "environment.group_size"));
            values.put(SettingKeys.PROGRESSIVE, stored(SettingKeys.PROGRESSIVE, String.valueOf(environment.value2()),
                    "environment.progressive_enabled"));
        }
        for (var row : dsl.selectFrom(INSTALLATION_SETTING).fetch()) {
            // A row of a setting this version does not know (written by a newer one) is left alone.
            SettingKeys.find(SCOPE, row.getName()).ifPresent(key -> values.put(key, stored(key, row.getSettingValue(),
                    "installation_setting " + key.name())));
        }
        for (var key : SettingKeys.of(SCOPE)) {
            values.computeIfAbsent(key, k -> SettingValue.read(k, k.defaultText(), Source.DEFAULT));
        }
        return new InstallationValues(values);
    }

    private static SettingValue stored(SettingKey key, String text, String where) {
        var value = SettingValue.read(key, text, new Source(Source.Kind.DATABASE, "database (" + where + ")"));
        return new SettingValue(key, value.value(), value.text(), Source.DATABASE);
    }

    /** The run in progress that forbids changing this setting now, if any: "run #12 (11.16.1 → 11.17.0)". */
    public Optional<String> blockedBy(SettingKey key) {
        return key.changeableDuringRun() ? Optional.empty() : runInProgress(database.dsl());
    }

    private static Optional<String> runInProgress(DSLContext dsl) {
        return dsl.select(PREPARATION_RUN.ID, PREPARATION_RUN.FROM_VERSION, PREPARATION_RUN.TO_VERSION).from(PREPARATION_RUN)
                .where(PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING)).orderBy(PREPARATION_RUN.ID).limit(1)
                .fetchOptional(r -> "preparation run #" + r.value1() + " (" + r.value2() + " → " + r.value3() + ")");
    }

    /**
     * Stores a setting, or refuses: an unknown name or a bad value (bad input), a run in progress that the
     * change would disturb (refused, naming the run). Runs in one transaction with the environment row locked,
     * as starting a run does, so that no run starts between the check and the change.
     */
    public Change set(String name, String text, Source source, String actor) {
        var key = SettingKeys.find(SCOPE, name).orElseThrow(() -> SettingException.unknown(name, source, SCOPE));
        var value = SettingValue.read(key, text, source);
        return database.transaction(tx -> {
            boolean environmentExists = !tx.selectFrom(ENVIRONMENT).forUpdate().fetch().isEmpty();
            var before = read(tx);
            if (!key.changeableDuringRun()) {
                runInProgress(tx).ifPresent(run -> {
                    throw ModprepException.refused("setting " + key.name() + " cannot be changed while " + run + " is in progress: "
                            + whyNotDuringRun(key) + ". Nothing was changed; change it once the run has ended.");
                });
            }
            checkTimings(key, value, before);
            var now = OffsetDateTime.now(clock);
            if (key == SettingKeys.GROUP_SIZE || key == SettingKeys.PROGRESSIVE) {
                if (!environmentExists) {
                    throw ModprepException.refused("setting " + key.name() + " is kept with the environment, and "
                            + modprep.db.Database.named(tx) + " has none yet: import one first (`modprep import DIR`)");
                }
                var update = key == SettingKeys.GROUP_SIZE ? tx.update(ENVIRONMENT).set(ENVIRONMENT.GROUP_SIZE, (Integer) value.value())
                        : tx.update(ENVIRONMENT).set(ENVIRONMENT.PROGRESSIVE_ENABLED, (Boolean) value.value());
                update.execute();
            } else {
                int updated = tx.update(INSTALLATION_SETTING).set(INSTALLATION_SETTING.SETTING_VALUE, value.text())
                        .set(INSTALLATION_SETTING.CHANGED_AT, now).set(INSTALLATION_SETTING.CHANGED_BY, actor)
                        .where(INSTALLATION_SETTING.NAME.eq(key.name())).execute();
                if (updated == 0) {
                    tx.insertInto(INSTALLATION_SETTING).set(INSTALLATION_SETTING.NAME, key.name())
                            .set(INSTALLATION_SETTING.SETTING_VALUE, value.text()).set(INSTALLATION_SETTING.CHANGED_AT, now)
                            .set(INSTALLATION_SETTING.CHANGED_BY, actor).execute();
                }
            }
            return new Change(key, before.value(key).text(), value.text());
        });
    }

    /** Why a setting may not change during a run (docs/RULES.md, S2). */
    public static String whyNotDuringRun(SettingKey key) {
        if (key == SettingKeys.GROUP_SIZE || key == SettingKeys.PROGRESSIVE) {
            return "the run was planned with the current value, and its groups and the console's reading of them "
                    + "would no longer agree";
        }
        return "the workers of the run renew their leases on the current timing, and a shorter one would let another "
                + "node take the run over from a worker that is still alive";
    }

    /** A worker renews its lease on each heartbeat: three must fit in a lease, or one late beat loses the run. */
    private static void checkTimings(SettingKey key, SettingValue value, InstallationValues before) {
        Duration lease = key == SettingKeys.LEASE_TIMEOUT ? (Duration) value.value() : before.leaseTimeout();
        Duration beat = key == SettingKeys.HEARTBEAT_INTERVAL ? (Duration) value.value() : before.heartbeatInterval();
        if ((key == SettingKeys.LEASE_TIMEOUT || key == SettingKeys.HEARTBEAT_INTERVAL) && beat.multipliedBy(3).compareTo(lease) > 0) {
            throw SettingException.badValue(key, value.text(), value.source(), "does not fit: heartbeat-interval "
                    + Durations.format(beat) + " is more than a third of lease-timeout " + Durations.format(lease));
        }
    }
}
