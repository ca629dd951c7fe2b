package modprep.settings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The installation settings at one moment, each with its value and source, and typed getters. */
public final class InstallationValues {
    private final Map<SettingKey, SettingValue> values;

    InstallationValues(Map<SettingKey, SettingValue> values) {
        this.values = values;
    }

    /** Every installation setting, in the registry's order. */
    public List<SettingValue> all() {
        return SettingKeys.of(SettingKey.Scope.INSTALLATION).stream().map(values::get).toList();
    }

    public SettingValue value(SettingKey key) {
        return values.get(key);
    }

    public int groupSize() {
        return (Integer) values.get(SettingKeys.GROUP_SIZE).value();
    }

    public boolean progressive() {
        return (Boolean) values.get(SettingKeys.PROGRESSIVE).value();
    }

    public Duration leaseTimeout() {
        return (Duration) values.get(SettingKeys.LEASE_TIMEOUT).value();
    }

    public Duration heartbeatInterval() {
        return (Duration) values.get(SettingKeys.HEARTBEAT_INTERVAL).value();
    }

    /** How long finished runs are kept; empty: for ever. */
    public Optional<Duration> runRetention() {
        return retention(SettingKeys.RUN_RETENTION);
    }

    /** How long stored compilations no module uses are kept; empty: for ever. */
    public Optional<Duration> compilationRetention() {
        return retention(SettingKeys.COMPILATION_RETENTION);
    }

    /** How long audit entries are kept; empty: for ever. */
    public Optional<Duration> auditRetention() {
        return retention(SettingKeys.AUDIT_RETENTION);
    }

    /** Addresses and CIDR ranges of the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed. */
    @SuppressWarnings("unchecked")
    public List<String> trustedProxies() {
        return (List<String>) values.get(SettingKeys.TRUSTED_PROXIES).value();
    }

    public boolean webhooksToPrivateAddresses() {
        return (Boolean) values.get(SettingKeys.WEBHOOKS_TO_PRIVATE_ADDRESSES).value();
    }

    @SuppressWarnings("unchecked")
    private Optional<Duration> retention(SettingKey key) {
        return (Optional<Duration>) values.get(key).value();
    }
}
