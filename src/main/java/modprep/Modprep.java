package modprep;

import java.nio.file.Path;
import java.time.Clock;
import modprep.db.Database;
import modprep.environment.Compilations;
import modprep.environment.EnvironmentImporter;
import modprep.environment.ModuleOperations;
import modprep.environment.Publisher;
import modprep.environment.Uploader;
import modprep.platform.JavaSourceCompiler;
import modprep.platform.PlatformCatalog;
import modprep.platform.SystemComponents;
import modprep.preparation.PreparationViewRepository;
import modprep.preparation.Preparations;
import modprep.preparation.Worker;
import modprep.preparation.WorkerKind;

/**
 * modprep's parts wired together on one database: the CLI, the server and the tests all build it,
 * the tests with an in-memory database and their own clock.
 */
public final class Modprep implements AutoCloseable {
    private final Database database;
    private final PlatformCatalog catalog;
    private final Clock clock;
    private final Compilations compilations;
    private final PreparationViewRepository preparationView = new PreparationViewRepository();
    /** The guard's view of runs: the preparation's locks and the deployment's (P7, D4). */
    private final modprep.deployment.RunsView runsView = new modprep.deployment.RunsView(preparationView);
    /** Shared by every sign-in of this process: how many passwords are checked at once is bounded here. */
    private final modprep.access.PasswordChecks passwordChecks = modprep.access.PasswordChecks.forThisMachine();
    /** Shared by every request of this process: refused sign-ins written or counted per address and minute. */
    private final modprep.access.SignedOutRefusals signedOutRefusals;
    /** What this process measures (GET /metrics): each modprep its own, so tests do not add up. */
    private final io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters =
            new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);

    public Modprep(Database database, Clock clock, int compileThreads) {
        this.database = database;
        this.clock = clock;
        this.catalog = new PlatformCatalog();
        this.signedOutRefusals = new modprep.access.SignedOutRefusals(database, clock);
        var javac = new JavaSourceCompiler();
        this.compilations = new Compilations(database, new SystemComponents(database, catalog, javac), javac, compileThreads, meters);
    }

    /** The data folder's database, compiling on every core. */
    public static Modprep open(Path dataFolder) {
        return open(dataFolder, java.util.Optional.empty());
    }

    /** The database server given, or without one the data folder's database, compiling on every core. */
    public static Modprep open(Path dataFolder, java.util.Optional<modprep.db.DatabaseLocation> server) {
        var database = server.map(Database::connect).orElseGet(() -> Database.open(dataFolder));
        return new Modprep(database, Clock.systemUTC(), Runtime.getRuntime().availableProcessors());
    }

    public Database database() {
        return database;
    }

    public io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters() {
        return meters;
    }

    public PlatformCatalog catalog() {
        return catalog;
    }

    public Clock clock() {
        return clock;
    }

    public Compilations compilations() {
        return compilations;
    }

    public EnvironmentImporter importer() {
        return new EnvironmentImporter(compilations, catalog, clock);
    }

    public Uploader uploader() {
        return new Uploader(compilations, clock);
    }

    public Publisher publisher() {
        return new Publisher(compilations, clock, runsView);
    }

    public ModuleOperations operations() {
        return new ModuleOperations(database, clock, runsView);
    }

    public modprep.access.Audit audit() {
        return new modprep.access.Audit(database, clock, signedOutRefusals);
    }

    public modprep.access.UserAccounts accounts() {
        return new modprep.access.UserAccounts(database, clock, passwordChecks);
    }

    public modprep.access.ApiTokens tokens() {
        return new modprep.access.ApiTokens(database, clock);
    }

    /** The settings shared by every node, in the database. */
    public modprep.settings.InstallationSettings installationSettings() {
        return new modprep.settings.InstallationSettings(database, clock);
    }

    public Preparations preparations() {
        return new Preparations(database, catalog, clock);
    }

    /** Webhooks: their configuration, the outbox, the dispatcher (private addresses as the installation settings say). */
    public modprep.notification.Notifications notifications() {
        return new modprep.notification.Notifications(database, clock, () -> installationSettings().values().webhooksToPrivateAddresses());
    }

    public modprep.deployment.Deployments deployments() {
        return new modprep.deployment.Deployments(database, clock, runsView);
    }

    public modprep.deployment.Rollbacks rollbacks() {
        return new modprep.deployment.Rollbacks(database, clock);
    }

    /** A background worker for this process, not yet started: preparation runs, and deployments (D1). */
    public Worker worker(WorkerKind kind) {
        return new Worker(compilations, clock, kind).also(new modprep.deployment.DeploymentWorker(database, clock));
    }

    /** The worker of the node of this name: {@code serve} holds its leases by the name, a command as "name/cli-pid". */
    public Worker worker(WorkerKind kind, String nodeName) {
        var holder = kind == WorkerKind.SERVER ? modprep.db.ProcessOwner.node(nodeName) : modprep.db.ProcessOwner.process(nodeName, kind.code());
        return new Worker(compilations, clock, kind, holder).also(new modprep.deployment.DeploymentWorker(database, clock));
    }

    @Override
    public void close() {
        signedOutRefusals.close();
        compilations.close();
        database.close();
        meters.close();
    }
}
