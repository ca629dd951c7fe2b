package modprep.settings;

import static modprep.settings.SettingKey.Scope.INSTALLATION;
import static modprep.settings.SettingKey.Scope.NODE;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one registry of settings: parsing, validation, `modprep config`, the Settings page and every error
 * message read it. A new setting is one line here (and, for a node setting, its getter on NodeSettings).
 */
public final class SettingKeys {
    // Node settings.
    public static final SettingKey PORT = node("port", SettingType.integer(0, 65535), "8080", false,
            "HTTP port of the console and API (0 picks a free one)");
    public static final SettingKey HOST = node("host", SettingType.address(), "0.0.0.0", false,
            "Address the console listens on (0.0.0.0: all)");
    public static final SettingKey DATABASE_URL = node("database-url", SettingType.databaseUrl(), null, false,
            "A PostgreSQL database instead of H2 in the data folder (never with a password in it)");
    public static final SettingKey DATABASE_PASSWORD = node("database-password", SettingType.text(200), null, true,
            "The database's password (never a flag: a command line shows in the process list)");
    public static final SettingKey DATABASE_PASSWORD_FILE = node("database-password-file", SettingType.readableFile(), null, false,
            "A file whose first line is the database's password (when database-password is not set)");
    public static final SettingKey DATA = node("data", SettingType.path(), "data", false,
            "The data folder: the H2 database, and modprep.properties when there is one");
    public static final SettingKey NODE_NAME = node("node-name", SettingType.text(100), null, false,
            "This process's name in logs and process lists (default: the host name)");
    public static final SettingKey LOG_FORMAT = node("log-format", SettingType.oneOf("text", "json"), "text", false,
            "Server log lines: text for people, json for log collectors");
    public static final SettingKey LOG_LEVEL = node("log-level", SettingType.oneOf("error", "warn", "info", "debug", "trace"),
            "info", false, "Lowest level of log lines written by serve (other commands write warn and above unless it is set)");
    public static final SettingKey TLS_KEYSTORE = node("tls-keystore", SettingType.readableFile(), null, false,
            "PKCS12 keystore for HTTPS (checked and reported; serving HTTPS is a later issue)");
    public static final SettingKey TLS_KEYSTORE_PASSWORD = node("tls-keystore-password", SettingType.text(200), null, true,
            "Password of the TLS keystore");
    public static final SettingKey ADMIN_PASSWORD = node("admin-password", SettingType.text(200), null, true,
            "Password of the administrator 'admin' created on the first start");
    public static final SettingKey DEBUG = node("debug", SettingType.bool(), "false", false,
            "Print stack traces of internal errors");

    // Installation settings.
    public static final SettingKey GROUP_SIZE = installation("group-size", SettingType.integer(1, 1000), "10", false,
            "Most modules prepared in one group of a run");
    public static final SettingKey PROGRESSIVE = installation("progressive-preparation", SettingType.bool(), "false", false,
            "Progressive preparation on 11.15 to 11.16.1 (11.17.0 and later are always progressive)");
    public static final SettingKey LEASE_TIMEOUT = installation("lease-timeout", SettingType.duration(Duration.ofSeconds(5),
            Duration.ofHours(1)), "15s", false, "How long a run's worker may be silent before another node takes the run over");
    public static final SettingKey HEARTBEAT_INTERVAL = installation("heartbeat-interval", SettingType.duration(
            Duration.ofMillis(500), Duration.ofMinutes(20)), "2s", false,
            "How often each process says it is alive and renews its lease (at most a third of lease-timeout)");
    public static final SettingKey RUN_RETENTION = installation("run-retention", SettingType.retention(), "off", true,
            "How long finished runs are kept");
    public static final SettingKey COMPILATION_RETENTION = installation("compilation-retention", SettingType.retention(), "off",
            true, "How long stored compilations that no module uses are kept");
    public static final SettingKey AUDIT_RETENTION = installation("audit-retention", SettingType.retention(), "off", true,
            "How long audit entries are kept");
    public static final SettingKey TRUSTED_PROXIES = installation("trusted-proxies", SettingType.addressList(), "", true,
            "Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed");

    public static final SettingKey WEBHOOKS_TO_PRIVATE_ADDRESSES = installation("webhooks-to-private-addresses", SettingType.bool(),
            "false", true, "Let webhooks reach loopback, link-local (cloud metadata) and private addresses");

    public static final List<SettingKey> ALL = List.of(PORT, HOST, DATABASE_URL, DATABASE_PASSWORD, DATABASE_PASSWORD_FILE, DATA, NODE_NAME, LOG_FORMAT, LOG_LEVEL,
            TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD, ADMIN_PASSWORD, DEBUG, GROUP_SIZE, PROGRESSIVE, LEASE_TIMEOUT,
            HEARTBEAT_INTERVAL, RUN_RETENTION, COMPILATION_RETENTION, AUDIT_RETENTION, TRUSTED_PROXIES, WEBHOOKS_TO_PRIVATE_ADDRESSES);

    private static final List<SettingKey> NODE_KEYS = scope(NODE);
    private static final List<SettingKey> INSTALLATION_KEYS = scope(INSTALLATION);

    private SettingKeys() {
    }

    // Loops, not streams: every CLI command reads this at start-up (see SettingType).
    private static List<SettingKey> scope(SettingKey.Scope scope) {
        var keys = new java.util.ArrayList<SettingKey>();
        for (var key : ALL) {
            if (key.scope() == scope) {
                keys.add(key);
            }
        }
        return List.copyOf(keys);
    }

    public static List<SettingKey> of(SettingKey.Scope scope) {
        return scope == NODE ? NODE_KEYS : INSTALLATION_KEYS;
    }

    public static Optional<SettingKey> find(SettingKey.Scope scope, String name) {
        for (var key : of(scope)) {
            if (key.name().equals(name)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** The names of a scope's settings, for "known settings: …" in an error. */
    public static String names(SettingKey.Scope scope) {
        var names = new java.util.StringJoiner(", ");
        for (var key : of(scope)) {
            names.add(key.name());
        }
        return names.toString();
    }

    private static SettingKey node(String name, SettingType type, String defaultText, boolean secret, String description) {
        return new SettingKey(name, NODE, type, defaultText, secret, description, true);
    }

    private static SettingKey installation(String name, SettingType type, String defaultText, boolean duringRun,
                                           String description) {
        return new SettingKey(name, INSTALLATION, type, defaultText, false, description, duringRun);
    }
}
