package modprep.settings;

import static modprep.settings.SettingKey.Scope.NODE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This process's settings, each from the first source that gives it: command-line flags, then MODPREP_*
 * environment variables, then a modprep.properties file (--config FILE, or the data folder's when there is
 * one), then the default. Resolved once at start-up; a bad one stops it with one line (SettingException).
 */
public final class NodeSettings {
    private final Map<SettingKey, SettingValue> values;
    private final Path file;

    private NodeSettings(Map<SettingKey, SettingValue> values, Path file) {
        this.values = values;
        this.file = file;
    }

    /**
     * @param flags settings given on the command line, by setting name
     * @param env the process's environment variables
     * @param configFile the file given with --config, or null
     */
    public static NodeSettings resolve(Map<String, Given> flags, Map<String, String> env, Path configFile) {
        var fromEnv = new LinkedHashMap<String, Given>();
        for (String name : new java.util.TreeSet<>(env.keySet())) {
            if (name.startsWith("MODPREP_")) {
                var key = byEnvName(name);
                if (key == null) {
                    throw SettingException.unknown(name, Source.env(name), NODE);
                }
                fromEnv.put(key.name(), new Given(env.get(name), Source.env(name)));
            }
        }
        Map<String, Given> fromFile = Map.of();
        Path file = null;
        if (configFile != null) {
            file = configFile;
            fromFile = SettingsFile.read(configFile, "--config");
        } else {
            Given data = flags.getOrDefault(SettingKeys.DATA.name(), fromEnv.get(SettingKeys.DATA.name()));
            Path folder = data == null ? Path.of(SettingKeys.DATA.defaultText())
                    : (Path) SettingValue.read(SettingKeys.DATA, data.text(), data.source()).value();
            Path inFolder = folder.resolve(SettingsFile.NAME);
            if (Files.exists(inFolder)) {
                file = inFolder;
                fromFile = SettingsFile.read(inFolder, "in the data folder");
                if (fromFile.containsKey(SettingKeys.DATA.name())) {
                    throw SettingException.of("setting data cannot be set in the data folder's own settings file ("
                            + fromFile.get(SettingKeys.DATA.name()).source() + "); allowed: set it with --data, MODPREP_DATA "
                            + "or in a file given with --config");
                }
            }
        }
        var values = new LinkedHashMap<SettingKey, SettingValue>();
        for (var key : SettingKeys.of(NODE)) {
            Given given = first(flags.get(key.name()), fromEnv.get(key.name()), fromFile.get(key.name()));
            if (given != null) {
                values.put(key, SettingValue.read(key, given.text(), given.source()));
            } else if (key.defaultText() != null) {
                values.put(key, SettingValue.read(key, key.defaultText(), Source.DEFAULT));
            }
        }
        return new NodeSettings(values, file);
    }

    private static SettingKey byEnvName(String name) {
        for (var key : SettingKeys.of(NODE)) {
            if (key.envName().equals(name)) {
                return key;
            }
        }
        return null;
    }

    private static Given first(Given... givens) {
        for (Given given : givens) {
            if (given != null) {
                return given;
            }
        }
        return null;
    }

    /** Adds settings to a modprep.properties file, after a comment line saying why (modprep move-to). */
    public static void addToFile(Path file, String comment, Map<SettingKey, String> settings) {
        var byName = new LinkedHashMap<String, String>();
        settings.forEach((key, value) -> byName.put(key.name(), value));
        SettingsFile.append(file, comment, byName);
    }

    /** What a settings file itself says of a setting, whatever a flag or a variable says over it. */
    public static Optional<Given> inFile(Path file, SettingKey key) {
        return Optional.ofNullable(SettingsFile.read(file, "settings file").get(key.name()));
    }

    /** The data folder's own settings file, read when no --config is given. */
    public static Path fileIn(Path dataFolder) {
        return dataFolder.resolve(SettingsFile.NAME);
    }

    /** Every node setting, in the registry's order, with its value and source; unset ones have none. */
    public List<SettingValue> all() {
        return SettingKeys.of(NODE).stream().map(k -> {
            if (values.containsKey(k)) {
                return values.get(k);
            }
            return k == SettingKeys.NODE_NAME ? new SettingValue(k, nodeName(), nodeName(), Source.DEFAULT)
                    : new SettingValue(k, null, null, new Source(Source.Kind.DEFAULT, "not set"));
        }).toList();
    }

    /** The settings file read, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    public SettingValue value(SettingKey key) {
        return values.get(key);
    }

    public int port() {
        return (Integer) values.get(SettingKeys.PORT).value();
    }

    public String host() {
        return (String) values.get(SettingKeys.HOST).value();
    }

    public Path data() {
        return (Path) values.get(SettingKeys.DATA).value();
    }

    /** The database's URL when one is set; else the H2 database in the data folder. */
    public Optional<String> databaseUrl() {
        return text(SettingKeys.DATABASE_URL);
    }

    /** The PostgreSQL server set, with its password (database-password, or the first line of database-password-file). */
    public Optional<modprep.db.DatabaseLocation> database() {
        return databaseUrl().map(url -> modprep.db.DatabaseLocation.parse(url, text(SettingKeys.DATABASE_PASSWORD)
                .orElseGet(() -> Optional.ofNullable(values.get(SettingKeys.DATABASE_PASSWORD_FILE))
                        .map(file -> modprep.db.DatabaseLocation.passwordIn((Path) file.value())).orElse(null))));
    }

    /** This node's name: as set, or the host name (looked up only when asked: it can be slow). */
    public String nodeName() {
        return text(SettingKeys.NODE_NAME).orElseGet(NodeSettings::hostName);
    }

    /** text or json. */
    public String logFormat() {
        return (String) values.get(SettingKeys.LOG_FORMAT).value();
    }

    /** error, warn, info, debug or trace. */
    public String logLevel() {
        return (String) values.get(SettingKeys.LOG_LEVEL).value();
    }

    public Optional<Path> tlsKeystore() {
        return Optional.ofNullable(values.get(SettingKeys.TLS_KEYSTORE)).map(v -> (Path) v.value());
    }

    public Optional<String> tlsKeystorePassword() {
        return text(SettingKeys.TLS_KEYSTORE_PASSWORD);
    }

    public Optional<String> adminPassword() {
        return text(SettingKeys.ADMIN_PASSWORD);
    }

    public boolean debug() {
        return (Boolean) values.get(SettingKeys.DEBUG).value();
    }

    /** Binds the port on the address for a moment: one in use, or an address not of this machine, is refused now. */
    public void checkListen() {
        if (port() == 0) {
            return;
        }
        try (var socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(host(), port()));
        } catch (java.net.BindException e) {
            boolean inUse = String.valueOf(e.getMessage()).contains("in use");
            var key = inUse ? SettingKeys.PORT : SettingKeys.HOST;
            var value = values.get(key);
            throw SettingException.of("bad setting " + key.name() + " (from " + value.source() + "): '" + value.text() + "' "
                    + (inUse ? "is in use on " + host() + " (another modprep or program listens there)"
                    : "cannot be listened on: " + e.getMessage()) + "; allowed: " + (inUse ? "a free port, or 0 to pick one"
                    : "an address of this machine, or 0.0.0.0 for all"));
        } catch (java.io.IOException e) {
            throw SettingException.of("bad setting port (from " + values.get(SettingKeys.PORT).source() + "): cannot listen on "
                    + host() + ":" + port() + ": " + e.getMessage() + "; allowed: a free port, or 0 to pick one");
        }
    }

    /**
     * Opens the TLS keystore with its password, so that a wrong one stops start-up now rather than when HTTPS
     * is served (a later issue: today the console serves plain HTTP).
     */
    public void checkTls() {
        var keystore = tlsKeystore();
        if (keystore.isEmpty()) {
            return;
        }
        var password = values.get(SettingKeys.TLS_KEYSTORE_PASSWORD);
        if (password == null) {
            throw SettingException.of("setting tls-keystore-password is missing (tls-keystore is set, from "
                    + values.get(SettingKeys.TLS_KEYSTORE).source() + "); allowed: the keystore's password, "
                    + "in MODPREP_TLS_KEYSTORE_PASSWORD or the settings file");
        }
        try {
            java.security.KeyStore.getInstance(keystore.get().toFile(), ((String) password.value()).toCharArray());
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw SettingException.of("bad setting tls-keystore (from " + values.get(SettingKeys.TLS_KEYSTORE).source()
                    + "): " + keystore.get() + " cannot be opened with tls-keystore-password (from " + password.source() + "): "
                    + e.getMessage() + "; allowed: a PKCS12 or JKS keystore and its password");
        }
    }

    private Optional<String> text(SettingKey key) {
        return Optional.ofNullable(values.get(key)).map(v -> (String) v.value());
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
