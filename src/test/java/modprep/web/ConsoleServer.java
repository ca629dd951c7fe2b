package modprep.web;

import static modprep.db.schema.Tables.PREPARATION_RUN;

import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Duration;
import modprep.Modprep;
import modprep.preparation.Worker;
import modprep.preparation.WorkerKind;
import modprep.status.RunStatus;
import modprep.testing.TestEnvironment;

/**
 * The real console on a free port, on its own in-memory database, with a background worker that a
 * test starts when it wants the run to move (so that it can look at a run in progress first).
 */
final class ConsoleServer implements AutoCloseable {
    final Modprep app;
    private Javalin web;
    private final java.util.List<Javalin> otherNodes = new java.util.ArrayList<>();
    private Worker worker;

    static final String ADMIN = "admin";
    static final String VIEWER = "viewer";
    static final String PASSWORD = "correct horse battery staple";

    ConsoleServer(TestEnvironment environment, Path folder) {
        this(environment, folder, java.time.Clock.systemUTC());
    }

    /** The same, on a clock of the test's. */
    ConsoleServer(TestEnvironment environment, Path folder, java.time.Clock clock) {
        app = TestEnvironment.newModprep(clock);
        app.importer().importFolder(environment.write(folder), "setup");
        app.accounts().add(ADMIN, modprep.access.Role.ADMINISTRATOR, PASSWORD);
        app.accounts().add(VIEWER, modprep.access.Role.VIEWER, PASSWORD);
        web = new WebApp(app, this::wakeWorker).create().start("127.0.0.1", 0);
    }

    /**
     * The whole database, but for what changes by itself or on every request (the audit, heartbeats,
     * sign-in counters): equal before and after a refused request when that request changed nothing.
     */
    java.util.Map<String, String> state() {
        var dump = modprep.testing.DatabaseDump.of(app);
        dump.remove("audit_event");
        dump.remove("worker_process");
        dump.remove("sign_in_failure");
        dump.remove("console_session"); // a session's expiry moves on as it is used
        return dump;
    }

    /** How many sessions are stored (in the database, for every node). */
    long sessions() {
        return app.database().dsl().fetchCount(modprep.db.schema.Tables.CONSOLE_SESSION);
    }

    /**
     * Another node of the same installation: a second console on the same database, with its own
     * sessions in memory and its own scavenger. Returns its base URL.
     */
    String anotherNode() {
        var node = new WebApp(app, this::wakeWorker).create().start("127.0.0.1", 0);
        otherNodes.add(node);
        return "http://127.0.0.1:" + node.port();
    }

    /** The console stopped and started again on the same database (and port), as a restarted server. */
    void restartConsole() {
        int port = web.port();
        web.stop();
        web = new WebApp(app, this::wakeWorker).create().start("127.0.0.1", port);
    }

    /** Runs the console's session scavenger once, now, as it runs every minute. */
    void scavengeSessions() {
        sessionIds().getSessionHouseKeeper().scavenge();
    }

    org.eclipse.jetty.session.DefaultSessionIdManager sessionIds() {
        return web.jettyServer().server().getBean(org.eclipse.jetty.session.DefaultSessionIdManager.class);
    }

    String url(String path) {
        return "http://127.0.0.1:" + web.port() + path;
    }

    /** Starts the worker: runs created so far and from now on are prepared. */
    void startWorker() {
        if (worker == null) {
            worker = app.worker(WorkerKind.SERVER).start();
        }
        worker.wake();
    }

    /**
     * Waits until no run is in progress, bounded by a stall of the run, not its length: a page's wait
     * for what a run shows when it ends then covers only the live update, not the run.
     */
    void awaitRunsEnded() {
        var running = app.database().dsl().select(PREPARATION_RUN.ID).from(PREPARATION_RUN)
                .where(PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING)).fetch(PREPARATION_RUN.ID);
        running.forEach(run -> TestEnvironment.awaitEnd(app, run, Duration.ofMinutes(2)));
    }

    private void wakeWorker() {
        if (worker != null) {
            worker.wake();
        }
    }

    @Override
    public void close() {
        otherNodes.forEach(Javalin::stop);
        web.stop();
        if (worker != null) {
            worker.close();
        }
        app.close();
    }
}
