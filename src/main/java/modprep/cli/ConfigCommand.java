package modprep.cli;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import modprep.db.Database;
import modprep.settings.InstallationSettings;
import modprep.settings.NodeSettings;
import modprep.settings.SettingKeys;
import modprep.settings.SettingValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code modprep config}: the effective node settings and where each came from, then the installation
 * settings: from the PostgreSQL database database-url names (a data folder moved there by {@code move-to}
 * included), else from the data folder's H2 database when it has one (it is not created here). Secrets are
 * shown as ****.
 */
@Command(name = "config", description = "Shows the effective settings and where each came from (secrets masked). "
        + "Takes serve's flags, to show what serve would use.")
final class ConfigCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ServeOptions options;

    @Override
    public Integer call() {
        var root = (ModprepCommand) spec.root().userObject();
        NodeSettings node = root.node(options.given());
        node.checkTls();
        var out = spec.commandLine().getOut();
        out.println("Node settings (this process: flags, then MODPREP_* variables, then "
                + node.file().map(f -> f.toAbsolutePath().normalize().toString()).orElse("modprep.properties (none found)")
                + ", then defaults):");
        print(out, node.all());
        if (node.tlsKeystore().isPresent()) {
            out.println("  (the TLS keystore opens with its password; the console still serves plain HTTP: HTTPS is a later "
                    + "issue, put a TLS-terminating proxy in front until then)");
        }
        out.println();
        var data = node.data().toAbsolutePath().normalize();
        var server = node.database();
        if (server.isPresent()) {
            // The installation is on PostgreSQL: H2 files in the data folder (kept aside by move-to) are not read.
            try (var database = Database.connect(server.get())) {
                out.println("Installation settings (shared by every node, in the database " + node.databaseUrl().orElseThrow()
                        + "; change them with `modprep settings set KEY VALUE`):");
                print(out, new InstallationSettings(database, java.time.Clock.systemUTC()).values().all());
            }
            return ExitCodes.OK;
        }
        if (!Files.exists(data.resolve("modprep.mv.db"))) {
            out.println("Installation settings: no database in " + data + " yet; these defaults apply:");
            print(out, SettingKeys.of(modprep.settings.SettingKey.Scope.INSTALLATION).stream()
                    .map(k -> SettingValue.read(k, k.defaultText(), modprep.settings.Source.DEFAULT)).toList());
            return ExitCodes.OK;
        }
        try (var database = Database.open(data)) {
            out.println("Installation settings (shared by every node, in the database of " + data
                    + "; change them with `modprep settings set KEY VALUE`):");
            print(out, new InstallationSettings(database, java.time.Clock.systemUTC()).values().all());
        }
        return ExitCodes.OK;
    }

    private static void print(java.io.PrintWriter out, List<SettingValue> values) {
        for (var v : values) {
            out.printf("  %-24s %-28s %s%n", v.key().name(), SettingsCommand.shown(v), v.source());
        }
    }
}
