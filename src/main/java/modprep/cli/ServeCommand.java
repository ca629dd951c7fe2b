package modprep.cli;

import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import modprep.preparation.WorkerKind;
import modprep.Modprep;
import modprep.environment.EnvironmentRepository;
import modprep.tools.DemoEnvironment;
import modprep.web.WebApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Starts the background worker and the console; on an empty data folder, "
        + "first imports a demo environment of about 150 modules on 11.16.1.")
final class ServeCommand extends DataCommand {
    static final int DEMO_MODULES = 150;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default 8080; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default all).")
    String host;

    @Override
    int run(Modprep app) throws Exception {
        if (!new EnvironmentRepository(app.database().dsl()).exists()) {
            importDemo(app);
        }
        String generated = app.accounts().ensureAdministrator(System.getenv("MODPREP_ADMIN_PASSWORD"));
        if (generated != null) {
            // Printed once, here, never logged: the administrator changes it with `modprep user passwd admin`.
            out().printf("No users yet: created the administrator 'admin' with the password %s%n"
                    + "(shown once; set MODPREP_ADMIN_PASSWORD before the first start to choose it, or change it with "
                    + "`modprep user passwd admin`).%n", generated);
        }
        var worker = app.worker(WorkerKind.SERVER).start();
        var dispatcher = app.notifications().dispatcher().start();
        var web = new WebApp(app, worker::wake).create().start(host, port);
        out().printf("modprep console on http://localhost:%d/ (data folder %s). Ctrl+C stops it.%n", web.port(),
                root().data.toAbsolutePath().normalize());
        out().flush();
        // On Ctrl+C or SIGTERM: stop taking requests, give the run back to the database, close it.
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            web.stop();
            worker.close();
            dispatcher.close();
            app.close();
            stopped.countDown();
        }, "modprep-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }

    private void importDemo(Modprep app) throws java.io.IOException {
        var folder = Files.createTempDirectory("modprep-demo");
        try {
            new DemoEnvironment(1).write(folder, DEMO_MODULES, "11.16.1");
            var summary = app.importer().importFolder(folder, "demo");
            out().printf("Empty data folder: imported a demo environment of %d modules on %s.%n", summary.modules(), summary.version());
        } finally {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
