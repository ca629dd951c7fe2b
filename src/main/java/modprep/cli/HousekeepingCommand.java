package modprep.cli;

import java.time.Duration;
import modprep.Modprep;
import modprep.housekeeping.Housekeeping;
import modprep.housekeeping.Retention;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "housekeeping", description = "Removes finished runs, audit events and stored compilations no module "
        + "uses any more, older than their retention (the latest run, what modules use and a run in progress always stay). "
        + "A server does the same every hour.")
final class HousekeepingCommand extends DataCommand {
    // Until the installation settings (run-retention, audit-retention, compilation-retention) are wired, everything is kept.
    @Option(names = "--run-retention", paramLabel = "DURATION", defaultValue = "forever", converter = RetentionConverter.class,
            description = "How long finished runs are kept: forever (default), 90d, 12h, 30m or P90D.")
    Duration runs;

    @Option(names = "--audit-retention", paramLabel = "DURATION", defaultValue = "forever", converter = RetentionConverter.class,
            description = "How long audit events are kept (default forever).")
    Duration audit;

    @Option(names = "--compilation-retention", paramLabel = "DURATION", defaultValue = "forever", converter = RetentionConverter.class,
            description = "How long compilations no module uses any more are kept (default forever).")
    Duration compilations;

    @Option(names = "--dry-run", description = "Only say what would be removed.")
    boolean dryRun;

    static final class RetentionConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Retention.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    int run(Modprep app) {
        var retention = new Retention(runs, audit, compilations);
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
