package modprep.cli;

import java.time.Duration;
import modprep.Modprep;
import modprep.housekeeping.Housekeeping;
import modprep.housekeeping.Retention;
import modprep.settings.InstallationValues;
import modprep.settings.SettingKey;
import modprep.settings.SettingKeys;
import modprep.settings.SettingValue;
import modprep.settings.Source;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "housekeeping", description = "Removes finished runs, audit events and stored compilations no module "
        + "uses any more, older than their retention (the latest run, what modules use and a run in progress always stay). "
        + "A server does the same every hour.")
final class HousekeepingCommand extends DataCommand {
    @Option(names = "--run-retention", paramLabel = "DURATION",
            description = "How long finished runs are kept, this time (default: the installation setting run-retention): "
                    + "90d, 12h, or off to keep them.")
    String runs;

    @Option(names = "--audit-retention", paramLabel = "DURATION", description = "How long audit events are kept, this time "
            + "(default: the installation setting audit-retention).")
    String audit;

    @Option(names = "--compilation-retention", paramLabel = "DURATION", description = "How long compilations no module uses "
            + "any more are kept, this time (default: the installation setting compilation-retention).")
    String compilations;

    @Option(names = "--dry-run", description = "Only say what would be removed.")
    boolean dryRun;

    /** A flag's retention, read by the settings registry's rule, or the installation setting's. */
    @SuppressWarnings("unchecked")
    private static Duration retention(String flag, String given, SettingKey key, InstallationValues installed) {
        var value = given == null ? installed.value(key) : SettingValue.read(key, given, Source.flag(flag));
        return ((java.util.Optional<Duration>) value.value()).orElse(null);
    }

    @Override
    int run(Modprep app) {
        var installed = app.installationSettings().values();
        var retention = new Retention(retention("--run-retention", runs, SettingKeys.RUN_RETENTION, installed),
                retention("--audit-retention", audit, SettingKeys.AUDIT_RETENTION, installed),
                retention("--compilation-retention", compilations, SettingKeys.COMPILATION_RETENTION, installed));
        var housekeeping = new Housekeeping(app.database(), app.clock());
        if (dryRun) {
            out().printf("Would remove %s (retention: %s).%n", housekeeping.wouldRemove(retention).summary(), Housekeeping.describe(retention));
            return ExitCodes.OK;
        }
        // The audit says what went (its own old events may be among them).
        var removed = audited(app, "housekeeping", Housekeeping.describe(retention),
                () -> modprep.access.Audit.Outcome.succeeded("removed " + housekeeping.removeOlderThan(retention).summary()));
        out().printf("R%s (retention: %s).%n", removed.detail().substring(1), Housekeeping.describe(retention));
        return ExitCodes.OK;
    }
}
