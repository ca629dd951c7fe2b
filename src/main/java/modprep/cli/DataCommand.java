package modprep.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import modprep.Modprep;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command that works on the data folder's environment. */
abstract class DataCommand implements Callable<Integer> {
    @ParentCommand
    ModprepCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try (var app = Modprep.open(parent.data)) {
            return run(app);
        }
    }

    abstract int run(Modprep app) throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
