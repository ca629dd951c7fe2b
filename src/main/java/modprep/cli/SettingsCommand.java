package modprep.cli;

import modprep.Modprep;
import modprep.settings.SettingKeys;
import modprep.settings.SettingValue;
import modprep.settings.Source;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code modprep settings list|get|set}: the installation settings, shared by every node, in the database. */
@Command(name = "settings", description = "Shows and changes the installation settings (shared by every node).",
        subcommands = {SettingsCommand.List.class, SettingsCommand.Get.class, SettingsCommand.Set.class})
final class SettingsCommand {
    private static final modprep.settings.SettingKey.Scope SCOPE = modprep.settings.SettingKey.Scope.INSTALLATION;

    @Command(name = "list", description = "Lists every installation setting: value, where it comes from, default, allowed values.")
    static final class List extends DataCommand {
        @Override
        int run(Modprep app) {
            var settings = app.installationSettings();
            for (SettingValue v : settings.values().all()) {
                String blocked = settings.blockedBy(v.key()).map(run -> "  [not now: " + run + " is in progress]").orElse("");
                out().printf("%-24s %-14s from %-9s default %-6s allowed: %s%s%n", v.key().name(), shown(v), v.source(),
                        v.key().defaultText().isEmpty() ? "(none)" : v.key().defaultText(), v.key().type().allowed(), blocked);
            }
            return ExitCodes.OK;
        }
    }

    static String shown(SettingValue v) {
        return v.text() == null ? "(not set)" : v.text().isEmpty() ? "(none)" : v.shown();
    }

    @Command(name = "get", description = "Prints one installation setting's value.")
    static final class Get extends DataCommand {
        @Parameters(paramLabel = "KEY")
        String key;

        @Override
        int run(Modprep app) {
            var known = SettingKeys.find(SCOPE, key).orElseThrow(() -> modprep.settings.SettingException.of("unknown setting '"
                    + modprep.environment.Names.abbreviate(key) + "'; known installation settings: " + SettingKeys.names(SCOPE)));
            out().println(app.installationSettings().values().value(known).shown());
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", description = "Changes an installation setting (audited); refused while a run it would disturb is in progress.")
    static final class Set extends DataCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        int run(Modprep app) {
            var outcome = audited(app, "setting-change", key, () -> modprep.access.Audit.Outcome.succeeded(app.installationSettings()
                    .set(key, value, Source.request("`modprep settings set`"), ModprepCommand.actor()).toString()));
            out().println("Changed " + outcome.detail() + ".");
            return ExitCodes.OK;
        }
    }
}
