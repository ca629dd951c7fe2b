package modprep.cli;

import modprep.Modprep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "upgrade", description = "Upgrades the environment to a newer platform version and prepares its modules (P1, P4, P5).")
final class UpgradeCommand extends RunCommand {
    @Option(names = "--to", required = true, paramLabel = "VERSION", description = "The platform version to upgrade to.")
    String to;

    @Override
    int run(Modprep app) throws InterruptedException {
        var started = audited(app, "upgrade", to, () -> app.preparations().upgrade(to, ModprepCommand.actor()));
        out().printf("Upgraded the environment from %s to %s.%n", started.from(), started.to());
        if (started.publishAllRecommended()) {
            out().printf("Warning: upgrading from %s (11.10.0 or earlier) to 11.12.0 or later: publishing all applications "
                    + "is recommended instead of relying on the preparation (known issue: high CPU on front-ends until "
                    + "everything is republished). Run `modprep publish --all`.%n", started.from());
        }
        if (started.runId() == null) {
            out().printf("Platform %s has no modules preparation: %d modules are now marked \"publish required\". "
                    + "Publish them with `modprep publish --all`.%n", started.to(), started.modules());
            return ExitCodes.OK;
        }
        out().printf("Preparation run #%d: %s, %d modules in %d groups%s.%n", started.runId(), started.mode().code(), started.modules(),
                started.groups(), started.excluded() > 0 ? " (" + started.excluded() + " left out: only uploaded)" : "");
        return workOn(app, started.runId());
    }
}
