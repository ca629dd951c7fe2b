package modprep.cli;

import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import modprep.Modprep;
import modprep.db.H2Compaction;
import modprep.environment.EnvironmentRepository;
import modprep.housekeeping.Housekeeping;
import modprep.housekeeping.HousekeepingSchedule;
import modprep.housekeeping.Retention;
import modprep.preparation.RunSlot;
import modprep.preparation.WorkerKind;
import modprep.settings.Given;
import modprep.tools.DemoEnvironment;
import modprep.web.WebApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "serve", description = "Starts the background worker and the console; on an empty data folder, "
        + "first imports a demo environment of about 150 modules on 11.16.1.")
final class ServeCommand extends DataCommand {
    static final int DEMO_MODULES = 150;

    @Mixin
    ServeOptions options;

    @Override
    Map<String, Given> flags() {
        return options.given();
    }

    /** A port in use or an address not of this machine, a keystore that does not open: said before anything starts. */
    @Override
    void beforeOpening(modprep.settings.NodeSettings node) {
        node.checkListen();
        node.checkTls();
    }

    @Override
    int run(Modprep app) throws Exception {
        var node = node();
        firstStart(app, node.adminPassword().orElse(null), out());
        var worker = app.worker(WorkerKind.SERVER, node.nodeName()).start();
        var dispatcher = app.notifications().dispatcher().start();
        var housekeeping = new HousekeepingSchedule(new Housekeeping(app.database(), app.clock()), () -> retention(app)).start();
        var compaction = H2Compaction.of(app.database(), () -> new RunSlot(app.database().dsl()).taken()).map(H2Compaction::start);
        var web = new WebApp(app, worker::wake, worker::alive).create().start(node.host(), node.port());
        worker.leases().servingAt(address(node.host(), web.port()));
        out().printf("modprep console on http://localhost:%d/ (%s). Ctrl+C stops it.%n", web.port(), node.database()
                .map(server -> "database " + server).orElse("data folder " + node.data().toAbsolutePath().normalize()));
        if (node.tlsKeystore().isPresent()) {
            out().println("The TLS keystore opens with its password, but this build serves plain HTTP (HTTPS is a later issue): "
                    + "put a TLS-terminating proxy in front.");
        }
        out().flush();
        // On Ctrl+C or SIGTERM: stop taking requests, give the run back to the database, close it.
        var stopped = new CountDownLatch(1);
        var stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                web.stop();
                housekeeping.close();
                compaction.ifPresent(H2Compaction::close);
                worker.close();
                dispatcher.close();
                app.close();
                stopped.countDown();
            }
        };
        onStopSignals(stop);
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "modprep-shutdown")); // any other way the JVM ends
        stopped.await();
        return ExitCodes.OK;
    }

    /**
     * Ctrl+C and SIGTERM stop the server before the JVM begins to shut down: in a shutdown hook the stop would
     * run beside H2's own hook, which closes the database under it (the run was not given back, sessions
     * not saved). The server then ends with exit code 0, as a stop asked for.
     */
    private static void onStopSignals(Runnable stop) {
        for (String name : java.util.List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> new Thread(stop, "modprep-stop").start());
            } catch (IllegalArgumentException e) {
                // The JVM keeps this signal to itself (-Xrs): the shutdown hook stops the server instead.
            }
        }
    }

    /** Where other nodes' Nodes pages say this one serves: its host name when it listens on every address. */
    private static String address(String host, int port) {
        boolean any = host.equals("0.0.0.0") || host.equals("::") || host.isEmpty();
        return (any ? modprep.db.ProcessOwner.hostName() : host) + ":" + port;
    }

    @Override
    String defaultLogLevel() {
        return "info";
    }

    /** How long old runs, audit events and unused compilations are kept: the installation settings, read at each round. */
    static Retention retention(Modprep app) {
        var values = app.installationSettings().values();
        return new Retention(values.runRetention().orElse(null), values.auditRetention().orElse(null),
                values.compilationRetention().orElse(null));
    }

    /**
     * On an empty database: the demo environment and the administrator. Several nodes starting at once on one
     * empty database each get through it: one imports and one makes the administrator, the others find them.
     */
    static void firstStart(Modprep app, String adminPassword, java.io.PrintWriter out) throws java.io.IOException {
        if (!new EnvironmentRepository(app.database().dsl()).exists()) {
            importDemo(app, out);
        }
        String generated = app.accounts().ensureAdministrator(adminPassword);
        if (generated != null) {
            // Printed once, here, never logged: the administrator changes it with `modprep user passwd admin`.
            out.printf("No users yet: created the administrator 'admin' with the password %s%n"
                    + "(shown once; set MODPREP_ADMIN_PASSWORD before the first start to choose it, or change it with "
                    + "`modprep user passwd admin`).%n", generated);
        }
    }

    private static void importDemo(Modprep app, java.io.PrintWriter out) throws java.io.IOException {
        var folder = Files.createTempDirectory("modprep-demo");
        try {
            new DemoEnvironment(1).write(folder, DEMO_MODULES, "11.16.1");
            app.importer().importFolderIfEmpty(folder, "demo").ifPresent(summary -> out.printf(
                    "Empty data folder: imported a demo environment of %d modules on %s.%n", summary.modules(), summary.version()));
        } finally {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
