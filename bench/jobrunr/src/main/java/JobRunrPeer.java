import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.sql.h2.H2StorageProvider;

/**
 * The peer of modprep's console benchmark (bench/console.sh): JobRunr's dashboard over an H2 file
 * database holding N succeeded jobs (default 10,000).
 *
 * <p>{@code java -jar jobrunr-peer.jar DIR PORT [N]}: opens (or creates) {@code DIR/jobrunr.mv.db}; when it
 * holds fewer than N succeeded jobs, enqueues the missing ones and lets a JobRunr background job server
 * run them (real jobs, each a trivial static method, so they go enqueued → processing → succeeded as in
 * production), then stops that server. Then it serves JobRunr's dashboard (its web UI and its JSON API,
 * e.g. {@code /api/jobs?state=SUCCEEDED&offset=0&limit=20&order=updatedAt:ASC}) on PORT until killed,
 * printing "ready" once it does. No background job server runs while the dashboard is measured, so the
 * dashboard's figures are its own, as modprep's worker is idle while modprep's console is measured.
 */
public final class JobRunrPeer {
    private JobRunrPeer() {
    }

    /** The job: nothing worth measuring, so that the jobs only exist to be listed. */
    public static void work(int number) {
        if (number < 0) {
            throw new IllegalArgumentException("negative job number " + number);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java -jar jobrunr-peer.jar DIR PORT [JOBS]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath().normalize();
        int port = Integer.parseInt(args[1]);
        int wanted = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        Files.createDirectories(dir);
        var dataSource = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("jobrunr"), "sa", "");
        dataSource.setMaxConnections(20);
        var storage = new H2StorageProvider(dataSource);

        // One configuration: the dashboard, and a background job server that runs whatever jobs are missing and
        // is stopped before "ready" (JobRunr gives the storage provider its JSON mapper here, before any query).
        var server = BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                .andPollInterval(Duration.ofSeconds(5));
        JobRunr.configure().useStorageProvider(storage).useBackgroundJobServer(server).useDashboard(port).initialize();
        long have = storage.countJobs(StateName.SUCCEEDED);
        if (have < wanted) {
            long started = System.nanoTime();
            BackgroundJob.<Integer>enqueue(IntStream.range((int) have, wanted).boxed(), n -> JobRunrPeer.work(n));
            while (storage.countJobs(StateName.SUCCEEDED) < wanted) {
                Thread.sleep(1_000);
            }
            System.out.printf("ran %d jobs in %.1f s%n", wanted - have, (System.nanoTime() - started) / 1e9);
        }
        JobRunr.getBackgroundJobServer().stop();
        System.out.printf("ready: JobRunr dashboard on http://localhost:%d/dashboard, %d succeeded jobs in %s%n", port,
                storage.countJobs(StateName.SUCCEEDED), dir);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
