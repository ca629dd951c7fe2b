package modprep.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import modprep.ModprepException;
import modprep.housekeeping.MoveToPostgreSQL;
import modprep.settings.NodeSettings;
import modprep.settings.SettingKey;
import modprep.settings.SettingKeys;
import modprep.settings.Source;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code modprep move-to --database URL}: the data folder's H2 database moved into an empty PostgreSQL
 * database, then the folder's settings name that database, so that the next {@code serve --data DIR} runs there.
 */
@Command(name = "move-to", description = "Moves the data folder's H2 database, everything kept, into the empty PostgreSQL "
        + "database --database names (password in MODPREP_DATABASE_PASSWORD or a file). Then database-url is written to the "
        + "data folder's modprep.properties and the H2 files are kept, untouched, in DATA/h2-before-move-TIME/. Refused while "
        + "a server or command has the data folder open.")
final class MoveToCommand implements Callable<Integer> {
    @ParentCommand
    ModprepCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        NodeSettings node = root.node(Map.of());
        DataCommand.configureLogging(node, "warn");
        Path folder = node.data().toAbsolutePath().normalize();
        var url = node.value(SettingKeys.DATABASE_URL);
        if (url == null) {
            throw ModprepException.badInput("move-to: name the PostgreSQL database to move to with --database URL, e.g. "
                    + "postgresql://host:5432/modprep?user=modprep, its password in MODPREP_DATABASE_PASSWORD or in a file "
                    + "named by MODPREP_DATABASE_PASSWORD_FILE");
        }
        var named = node.file().flatMap(file -> NodeSettings.inFile(file, SettingKeys.DATABASE_URL));
        if (named.isPresent()) {
            throw ModprepException.refused("the data folder " + folder + " is set to run on PostgreSQL already (database-url in "
                    + named.get().source() + "); to move its H2 database, take that line out first");
        }
        var target = node.database().orElseThrow();
        var copied = MoveToPostgreSQL.copy(folder, target);

        Path settings = node.file().orElse(NodeSettings.fileIn(folder)).toAbsolutePath().normalize();
        var lines = new LinkedHashMap<SettingKey, String>();
        lines.put(SettingKeys.DATABASE_URL, url.text());
        var passwordFile = node.value(SettingKeys.DATABASE_PASSWORD_FILE);
        boolean passwordFromFile = node.value(SettingKeys.DATABASE_PASSWORD) == null && passwordFile != null;
        if (passwordFromFile && passwordFile.source().kind() != Source.Kind.FILE) {
            lines.put(SettingKeys.DATABASE_PASSWORD_FILE, ((Path) passwordFile.value()).toAbsolutePath().normalize().toString());
        }
        NodeSettings.addToFile(settings, "moved from the H2 database of this data folder by modprep move-to, "
                + java.time.OffsetDateTime.now().withNano(0), lines);
        Path aside = MoveToPostgreSQL.keepAside(folder);

        var out = spec.commandLine().getOut();
        long rows = 0;
        for (var table : copied) {
            out.printf("%-24s %8d rows  checksum %s%n", table.table(), table.rows(), table.checksum());
            rows += table.rows();
        }
        out.printf("Moved the H2 database of %s to %s: %d tables, %d rows, each table's count and checksum the same on both sides.%n",
                folder, target, copied.size(), rows);
        out.printf("database-url is now set in %s; the H2 files are kept, untouched, in %s (to go back: stop modprep, move "
                + "them back into %s and remove the database-url line).%n", settings, aside, folder);
        out.printf("Next: modprep --data %s serve%s%n", folder, passwordFromFile ? ""
                : "   (with the database's password in MODPREP_DATABASE_PASSWORD, or database-password-file in " + settings + ")");
        return ExitCodes.OK;
    }
}
