package modprep.cli;

import java.io.PrintWriter;
import java.util.Map;
import modprep.settings.Given;
import modprep.logging.LogFormat;
import modprep.logging.Logging;
import modprep.settings.NodeSettings;
import modprep.settings.SettingKeys;
import modprep.settings.Source;
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
        var node = node();
        configureLogging(node, defaultLogLevel());
        beforeOpening(node);
        try (var app = Modprep.open(node.data(), node.database())) {
            return run(app);
        }
    }

    abstract int run(Modprep app) throws Exception;

    /** Commands print their own output and log only warnings, unless told otherwise; serve logs what it does. */
    static void configureLogging(NodeSettings node, String defaultLevel) {
        boolean levelGiven = node.value(SettingKeys.LOG_LEVEL).source().kind() != Source.Kind.DEFAULT;
        Logging.configure(LogFormat.parse(node.logFormat()), levelGiven ? node.logLevel() : defaultLevel, node.nodeName());
    }

    /** The log level when none is set: warnings only, for a command whose output is its answer. */
    String defaultLogLevel() {
        return "warn";
    }

    /** Checks of settings that stop the command before the database is opened (serve: the port, TLS). */
    void beforeOpening(NodeSettings node) {
    }

    /** The node settings this command was given as flags, by setting name (serve's --port…). */
    Map<String, Given> flags() {
        return Map.of();
    }

    /** This process's node settings (resolved once; a bad one stops the command with exit code 2). */
    NodeSettings node() {
        return root().node(flags());
    }

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
