package modprep.cli;

import modprep.Modprep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", description = "Rolls a deployment back (D7): each module runs again what it ran before, consumers "
        + "before producers; with --module, that module and the consumers deployed on top of it only.")
final class RollbackCommand extends DataCommand {
    @Parameters(index = "0", paramLabel = "DEPLOYMENT", description = "The deployment's number.")
    long deployment;

    @Option(names = "--module", paramLabel = "NAME", description = "Roll back this module (and its consumers) only.")
    String module;

    @Override
    int run(Modprep app) {
        var result = audited(app, "rollback", "deployment #" + deployment + (module == null ? "" : " module " + module),
                () -> app.rollbacks().rollback(deployment, module, ModprepCommand.actor()));
        out().printf("Rolled back %d modules of deployment #%d, consumers first:%n", result.rolledBack().size(), deployment);
        result.rolledBack().forEach(r -> out().printf("    %s: back to its compilation for %s%n", r.module(), r.toVersion()));
        result.notRolledBack().forEach((m, why) -> out().printf("    not rolled back  %s: %s%n", m, why));
        return ExitCodes.OK;
    }
}
