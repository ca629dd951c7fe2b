package modprep.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import modprep.Modprep;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that works on the data folder's environment. */
abstract class DataCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The top command, with the options every command shares (--data, --database). */
    ModprepCommand root() {
        return (ModprepCommand) spec.root().userObject();
    }

    @Override
    public final Integer call() throws Exception {
        try (var app = Modprep.open(root().data, root().databaseServer())) {
            return run(app);
        }
    }

    abstract int run(Modprep app) throws Exception;

    /** Runs an action as the person at the terminal, recorded in the audit with how it ended. */
    static <T> T audited(Modprep app, String action, String target, java.util.function.Supplier<T> work) {
        return app.audit().record(new modprep.access.Audit.Actor(ModprepCommand.actor(), "cli"), action, target, work);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
