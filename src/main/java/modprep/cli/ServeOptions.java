package modprep.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import modprep.settings.Given;
import modprep.settings.SettingKeys;
import picocli.CommandLine.Option;

/**
 * The node settings a server takes as flags (serve, and config to show what serve would use). No defaults
 * here: a flag not given leaves the setting to MODPREP_* variables, the settings file, then the registry's default.
 */
final class ServeOptions {
    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default 8080; 0 picks a free one).")
    String port;

    @Option(names = {"--host", "--bind-address"}, paramLabel = "ADDRESS", description = "Address to listen on (default 0.0.0.0: all).")
    String host;

    @Option(names = "--node-name", paramLabel = "NAME", description = "This node's name: in logs, on the Nodes page, and whom its leases are held by (default: the host name).")
    String nodeName;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "Keystore for HTTPS (checked; HTTPS itself is to come).")
    Path tlsKeystore;

    /** The flags given, by setting name. */
    Map<String, Given> given() {
        var given = new LinkedHashMap<String, Given>();
        put(given, SettingKeys.PORT.name(), "--port", port);
        put(given, SettingKeys.HOST.name(), "--host", host);
        put(given, SettingKeys.NODE_NAME.name(), "--node-name", nodeName);
        put(given, SettingKeys.TLS_KEYSTORE.name(), "--tls-keystore", tlsKeystore);
        return given;
    }

    private static void put(Map<String, Given> given, String key, String flag, Object value) {
        if (value != null) {
            given.put(key, Given.flag(flag, value));
        }
    }
}
