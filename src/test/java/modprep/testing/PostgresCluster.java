package modprep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import modprep.db.Database;
import modprep.db.DatabaseLocation;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL 15 cluster of the machine's own installation, one per test JVM: {@code initdb} in a
 * temporary folder, started on a free port of 127.0.0.1 (as the user postgres when the tests run as root),
 * stopped and deleted when the JVM ends. Each test database is copied from a template Flyway migrated once.
 * Without PostgreSQL the tests fail, saying how to install it, unless {@code -Dmodprep.postgres=skip}.
 *
 * <p>A test that stops the server (a database outage) has a cluster of its own ({@link #own()}), which it
 * stops and starts again on the same port and data folder ({@link #stop()}, {@link #start()}) without
 * disturbing the other tests of the JVM.
 */
public final class PostgresCluster implements AutoCloseable {
    private static final Path BIN = Path.of(System.getProperty("modprep.postgres.bin", "/usr/lib/postgresql/15/bin"));
    private static final String SUPERUSER = "postgres";
    private static final String TEMPLATE = "modprep_template";
    private static PostgresCluster started;

    private final Path folder;
    private final int port;
    private final boolean root = "root".equals(System.getProperty("user.name"));
    private final String password = "test-" + java.util.UUID.randomUUID();
    private final AtomicInteger databases = new AtomicInteger();
    /** Databases made since the last {@link #dropCreated()}: a copy of the template is 7 MB on disk. */
    private final List<String> created = new ArrayList<>();

    private PostgresCluster(Path folder, int port) {
        this.folder = folder;
        this.port = port;
    }

    /** The JVM's cluster, started on first use. */
    public static synchronized PostgresCluster get() {
        if (started == null) {
            started = initialise();
        }
        return started;
    }

    /** A cluster of the calling test's own, to stop and start again; {@link #close()} stops and deletes it. */
    public static PostgresCluster own() {
        return initialise();
    }

    private static PostgresCluster initialise() {
        if ("skip".equals(System.getProperty("modprep.postgres"))) {
            Assumptions.abort("-Dmodprep.postgres=skip: the PostgreSQL tests are left out");
        }
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL 15 is not installed here (no " + BIN.resolve("initdb") + "): "
                    + "apt-get install postgresql, or leave the PostgreSQL tests out with -Dmodprep.postgres=skip");
        }
        try {
            Path folder = Files.createTempDirectory("modprep-pg-");
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) { // initdb refuses to run as root: the cluster belongs to postgres
                var owner = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SUPERUSER);
                Files.setOwner(folder, owner);
            }
            Path passwordFile = folder.resolve("superuser-password");
            var cluster = new PostgresCluster(folder, freePort());
            Files.writeString(passwordFile, cluster.password);
            if (root) {
                Files.setOwner(passwordFile, Files.getOwner(folder));
            }
            run(root, List.of(BIN.resolve("initdb").toString(), "-D", folder.resolve("data").toString(), "-U", SUPERUSER,
                    "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                    "--locale=C", "--no-sync"), folder);
            cluster.start();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "postgres-stop")); // a test's own cluster, if it did not
            cluster.admin("CREATE DATABASE " + TEMPLATE);
            Database.connect(cluster.location(TEMPLATE)).close(); // migrated once; no connection left on the template
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new database of its own, with this modprep's schema. */
    public Database freshDatabase() {
        return Database.connect(location(createDatabase()));
    }

    /** A new database with this modprep's schema, by name, for a process to open. */
    public synchronized String createDatabase() {
        String name = "modprep_" + databases.incrementAndGet();
        admin("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        created.add(name);
        return name;
    }

    /** Drops every database made since the last call (a test's), with any connection a test left open. */
    public synchronized void dropCreated() {
        created.forEach(name -> admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
        created.clear();
    }

    /** A new empty database (no schema), by name. */
    public String createEmptyDatabase() {
        String name = "empty_" + databases.incrementAndGet();
        admin("CREATE DATABASE " + name);
        synchronized (this) {
            created.add(name);
        }
        return name;
    }

    /** Where a database of this cluster is, as modprep is given it, with the superuser's password. */
    public DatabaseLocation location(String database) {
        return DatabaseLocation.parse(url(database), password);
    }

    /** The URL of {@code --database} (no password in it). */
    public String url(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
    }

    public String password() {
        return password;
    }

    /** Runs one statement as the superuser, on the maintenance database. */
    public void admin(String sql) {
        try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", SUPERUSER, password);
             var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Starts the server (again), on its port and data folder, and returns once it accepts connections. */
    public void start() {
        // Durability is not what these tests are about: fsync off makes creating a database cheap.
        run(root, List.of(BIN.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(), "-l",
                folder.resolve("log").toString(), "-w", "-o", "-p " + port + " -k " + folder
                        + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                        + " -c max_connections=300", "start"), folder);
    }

    /**
     * Stops the server as an operator does ({@code pg_ctl stop -m fast}: sessions are ended, transactions in
     * progress rolled back, the port closed), and returns once it is down.
     */
    public void stop() {
        run(root, List.of(BIN.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(), "-m", "fast", "-w", "stop"), folder);
    }

    /** Stops the server (at once: nothing in it is kept) and deletes its folder. */
    @Override
    public void close() {
        try {
            if (Files.exists(folder.resolve("data").resolve("postmaster.pid"))) {
                run(root, List.of(BIN.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(), "-m", "immediate", "-w", "stop"), folder);
            }
        } catch (RuntimeException e) {
            System.err.println("could not stop the test PostgreSQL: " + e.getMessage());
        }
        try (var files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: the system cleans it up
        }
    }

    private static void run(boolean root, List<String> command, Path folder) {
        var line = new ArrayList<String>();
        if (root) {
            line.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
        }
        line.addAll(command);
        try {
            var process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(folder.resolve("commands.log").toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                String log = Files.exists(folder.resolve("log")) ? Files.readString(folder.resolve("log")) : "";
                throw new IllegalStateException("the test PostgreSQL failed: " + String.join(" ", command) + "\n"
                        + Files.readString(folder.resolve("commands.log")) + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
