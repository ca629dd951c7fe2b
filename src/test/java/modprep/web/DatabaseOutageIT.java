package modprep.web;

import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.GROUP_STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import modprep.Json;
import modprep.db.Database;
import modprep.preparation.RunOutcome;
import modprep.testing.ModprepProcess;
import modprep.testing.PostgresCluster;
import modprep.testing.RunProgress;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL outage in the middle of a run, for real: {@code modprep serve --database} as a child process on
 * a cluster of the test's own, which the test stops ({@code pg_ctl stop -m fast}) for ten seconds while the
 * worker prepares groups, then starts again. Meanwhile a page, an API call and /health each answer 503 saying
 * so, without waiting on the pool (each request fails the test if unanswered within {@link #PATIENCE}); after it,
 * the run ends exactly as an uninterrupted run of the same environment. And the other side: a pool exhausted by
 * requests held at a table lock is busy, not down; every request gets its 200 once the lock goes.
 */
class DatabaseOutageIT {
    private static final String ADMIN_PASSWORD = "database outage";
    private static final String TO = "11.17.0";
    /** The outage, as an operator restarting PostgreSQL would cause it. */
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /** A request not answered within this long failed (it hangs on the pool): a failure, not a measure of speed. */
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private record Timed<T>(T answer, long millis) {
    }

    private static <T> Timed<T> timed(Supplier<T> request) {
        long started = System.nanoTime();
        T answer = request.get();
        return new Timed<>(answer, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static <T> T read(PostgresCluster cluster, String database, Function<DSLContext, T> query) {
        try (var db = Database.connect(cluster.location(database))) {
            return query.apply(db.dsl());
        }
    }

    /** A database of the cluster holding the demo environment, in groups of 3: a run of about 50 groups. */
    private String imported(PostgresCluster cluster, Map<String, String> env) {
        String database = cluster.createDatabase();
        var imported = ModprepProcess.run(env, "--database", cluster.url(database), "import", dir.resolve("env").toString());
        assertEquals(0, imported.exitCode(), imported.output());
        read(cluster, database, dsl -> dsl.update(ENVIRONMENT).set(ENVIRONMENT.GROUP_SIZE, 3).execute());
        return database;
    }

    private static Map<Integer, Integer> stepsPerGroup(DSLContext dsl) {
        return dsl.select(GROUP_STEP.GROUP_SEQ, DSL.count()).from(GROUP_STEP)
                .where(GROUP_STEP.RUN_ID.eq(1L), GROUP_STEP.STARTED_AT.isNotNull(), GROUP_STEP.FINISHED_AT.isNotNull())
                .groupBy(GROUP_STEP.GROUP_SEQ).fetchMap(GROUP_STEP.GROUP_SEQ, DSL.count());
    }

    @Test
    void postgresql_stopped_for_10_s_mid_run_is_answered_503_at_once_and_the_run_ends_as_an_uninterrupted_one() throws Exception {
        try (var cluster = PostgresCluster.own()) {
            var env = Map.of("MODPREP_DATABASE_PASSWORD", cluster.password(), "MODPREP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            assertEquals(0, ModprepProcess.run("demo", "--out", dir.resolve("env").toString(), "--modules", "150").exitCode());
            String reference = imported(cluster, env);
            String outage = imported(cluster, env);
            var uninterrupted = ModprepProcess.run(env, "--database", cluster.url(reference), "upgrade", "--to", TO, "--follow");
            assertEquals(1, uninterrupted.exitCode(), "the demo's findByName callers fail on 11.17.0: " + uninterrupted.output());
            var expected = read(cluster, reference, dsl -> RunOutcome.of(dsl, TO));
            var expectedSteps = read(cluster, reference, DatabaseOutageIT::stepsPerGroup);

            ModprepProcess follower = null;
            try (var server = ModprepProcess.start(env, "--data", dir.resolve("node").toString(), "--database", cluster.url(outage),
                    "serve", "--port", "0", "--host", "127.0.0.1")) {
                var http = new ConsoleClient("http://127.0.0.1:" + server.consolePort()).signedIn("admin", ADMIN_PASSWORD).timeout(PATIENCE);
                String admin = ConsoleClient.basic("admin", ADMIN_PASSWORD);
                var started = http.api("POST", "/api/upgrade", "{\"toVersion\": \"" + TO + "\"}", admin);
                assertEquals(202, started.status(), started.body());

                // Mid-run: a few groups done, as the database shows (the run's progress, not time). The run waits at
                // group 8 (its row held) while an administrator's terminal starts following it from another process.
                RunProgress before;
                try (var watch = Database.connect(cluster.location(outage));
                     var hold = modprep.testing.RowLock.take(watch, "SELECT seq FROM run_group WHERE run_id = 1 AND seq = 8 FOR UPDATE")) {
                    var progress = RunProgress.ofPreparationRun(1);
                    do {
                        ModprepProcess.pause(20);
                        before = progress.apply(watch.dsl());
                    } while (before.running() && before.groupsDone() < 4);
                    follower = ModprepProcess.start(env, "--data", dir.resolve("terminal").toString(), "--database", cluster.url(outage),
                            "prepare", "--follow");
                    // Following, not only started (groups are done, so it says how many first): an outage while the
                    // command still starts up fails it in one line, as any command.
                    follower.awaitLine(java.util.regex.Pattern.compile("Resuming: \\d+ of \\d+ groups already prepared\\."),
                            ModprepProcess.COMMAND_TIMEOUT);
                    hold.release();
                }
                assertTrue(before.running() && before.groupsDone() < before.groups(), "the run ended before the outage: " + before);

                cluster.stop();
                long stopped = System.nanoTime();
                var pageMillis = new ArrayList<Long>();
                var apiMillis = new ArrayList<Long>();
                var healthMillis = new ArrayList<Long>();
                do {
                    var page = timed(() -> http.get("/modules"));
                    assertEquals(503, page.answer().status(), page.answer().body());
                    assertTrue(page.answer().body().contains("The database is not answering"), page.answer().body());
                    assertEquals("5", page.answer().header("Retry-After"));
                    pageMillis.add(page.millis());

                    var api = timed(() -> http.api("GET", "/api/status", null, admin));
                    assertEquals(503, api.answer().status(), api.answer().body());
                    assertEquals("unavailable", json(api.answer().body()).path("error").asText(), api.answer().body());
                    assertTrue(json(api.answer().body()).path("message").asText().contains("database is not answering"), api.answer().body());
                    apiMillis.add(api.millis());

                    var health = timed(() -> http.api("GET", "/health", null, null));
                    assertEquals(503, health.answer().status(), health.answer().body());
                    assertEquals("down", json(health.answer().body()).path("checks").path("database").asText(), health.answer().body());
                    healthMillis.add(health.millis());
                    ModprepProcess.pause(250);
                } while (System.nanoTime() - stopped < OUTAGE.toNanos());
                cluster.start();
                System.out.printf("DATABASE OUTAGE %d s: 503 in ms, first and slowest: page %d/%d, API %d/%d, /health %d/%d (%d rounds)%n",
                        OUTAGE.toSeconds(), pageMillis.get(0), max(pageMillis), apiMillis.get(0), max(apiMillis),
                        healthMillis.get(0), max(healthMillis), pageMillis.size());

                // Back: the run goes on where the database says, and ends.
                var progress = RunProgress.ofPreparationRun(1);
                RunProgress after;
                try (var watch = Database.connect(cluster.location(outage))) {
                    long deadline = System.nanoTime() + ModprepProcess.COMMAND_TIMEOUT.toNanos();
                    do {
                        ModprepProcess.pause(200);
                        after = progress.apply(watch.dsl());
                    } while (after.running() && System.nanoTime() < deadline);
                }
                assertFalse(after.running(), "the run did not end after the outage: " + after + "\n" + server.out());
                assertEquals(1, follower.waitFor(ModprepProcess.COMMAND_TIMEOUT), "the follower ends with the run (with errors): " + follower.out() + follower.err());
                String followed = String.join("\n", follower.out());
                assertEquals(1, count(followed, "following run #1: the database is unavailable ("), followed);
                assertEquals(1, count(followed, "following run #1: the database is back after "), followed);
                assertTrue(followed.contains("Run #1 finished with errors"), followed);
                assertFalse(followed.contains(cluster.password()), "the database password is in no output");
                var health = http.api("GET", "/health", null, null);
                assertEquals(200, health.status(), health.body());
                assertEquals(200, http.get("/modules").status());

                server.close();
                String log = String.join("\n", server.out()) + "\n" + String.join("\n", server.err());
                assertFalse(log.contains(cluster.password()), "the database password is in no output");
                assertEquals(1, count(log, "the worker: the database is unavailable"), "the worker tells of the outage once:\n" + log);
                assertEquals(1, count(log, "the worker: the database is back after"), log);
                assertEquals(1, count(log, "is not answering ("), "the outage is found once, for every request:\n" + log);
                assertEquals(1, count(log, "the compile batches: the database is unavailable"), "the batches tell of it once:\n" + log);
                assertEquals(0, log.lines().filter(line -> line.contains(" WARN ") && line.contains(" - compile batches: ")).count(),
                        "not a warning at each of their polls:\n" + log);
                assertEquals(0, count(log, "a console session could not be read"), "nor one per request that reads its session:\n" + log);
                System.out.println("DATABASE OUTAGE, the server's warnings:\n" + log.lines()
                        .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).collect(java.util.stream.Collectors.joining("\n")));
            } finally {
                if (follower != null) {
                    follower.close();
                }
            }

            var actual = read(cluster, outage, dsl -> RunOutcome.of(dsl, TO));
            assertEquals(expected.status(), actual.status());
            assertEquals(expected.moduleStatus(), actual.moduleStatus(), "the same modules prepared, failed and blocked");
            assertEquals(expected.preparedJars(), actual.preparedJars(), "every prepared module's jar, byte for byte");
            assertEquals(expected.compilations(), actual.compilations(), "no compilation lost, none made twice");
            assertEquals(1, actual.runs(), "the run went on; no other started");
            assertEquals(0, actual.locks(), "no module left locked");
            assertEquals(expectedSteps, read(cluster, outage, DatabaseOutageIT::stepsPerGroup), "P13: each group's steps, each timed, once");
        }
    }

    private static long max(List<Long> millis) {
        return millis.stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    @Test
    void a_pool_exhausted_by_slow_requests_is_busy_not_down_and_every_request_gets_its_200() throws Exception {
        var cluster = PostgresCluster.get();
        var env = Map.of("MODPREP_DATABASE_PASSWORD", cluster.password(), "MODPREP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        assertEquals(0, ModprepProcess.run("demo", "--out", dir.resolve("env").toString(), "--modules", "30").exitCode());
        String database = cluster.createDatabase();
        try {
            var imported = ModprepProcess.run(env, "--database", cluster.url(database), "import", dir.resolve("env").toString());
            assertEquals(0, imported.exitCode(), imported.output());
            try (var server = ModprepProcess.start(env, "--data", dir.resolve("node").toString(), "--database", cluster.url(database),
                    "serve", "--port", "0", "--host", "127.0.0.1")) {
                var http = new ConsoleClient("http://127.0.0.1:" + server.consolePort()).signedIn("admin", ADMIN_PASSWORD);
                String admin = ConsoleClient.basic("admin", ADMIN_PASSWORD);
                assertEquals(200, http.api("GET", "/api/status", null, admin).status()); // the credential verified once, then cached
                int requests = 3 * Database.POOL_SIZE;
                ExecutorService senders = Executors.newFixedThreadPool(requests);
                var answers = new ArrayList<Future<ConsoleClient.Response>>();
                String jdbc = cluster.location(database).jdbcUrl();
                try (var lock = DriverManager.getConnection(jdbc, "postgres", cluster.password());
                     var watch = DriverManager.getConnection(jdbc, "postgres", cluster.password())) {
                    // Every page and API call reads the environment row first: held here, each holds its connection.
                    lock.setAutoCommit(false);
                    lock.createStatement().execute("LOCK TABLE environment IN ACCESS EXCLUSIVE MODE");
                    for (int i = 0; i < requests; i++) {
                        boolean page = i % 2 == 0;
                        answers.add(senders.submit(() -> page ? http.get("/modules") : http.api("GET", "/api/status", null, admin)));
                    }
                    awaitBlocked(watch, Database.POOL_SIZE);
                    // Every connection of the pool is held; the other requests wait for one. /health waits too, past its
                    // bound, then asks the server on a connection of its own: busy, not down.
                    var health = http.api("GET", "/health", null, null);
                    assertEquals(200, health.status(), "a busy pool is no database down: " + health.body());
                    assertTrue(answers.stream().noneMatch(Future::isDone), "the requests were still waiting for the pool");
                    lock.rollback();
                }
                var statuses = new ArrayList<Integer>();
                for (var answer : answers) {
                    statuses.add(answer.get(2, TimeUnit.MINUTES).status());
                }
                senders.shutdownNow();
                assertEquals(java.util.Collections.nCopies(requests, 200), statuses, "no 503 for a busy pool: " + statuses);
            }
        } finally {
            cluster.dropCreated();
        }
    }

    /**
     * Waits until this many of modprep's pooled connections wait on a lock: the pool has none left. (Asked outside
     * any transaction: within one, PostgreSQL shows the same pg_stat_activity throughout.)
     */
    private static void awaitBlocked(java.sql.Connection admin, int connections) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        int blocked;
        do {
            ModprepProcess.pause(20);
            try (var rows = admin.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE application_name = 'modprep' AND wait_event_type = 'Lock'")) {
                rows.next();
                blocked = rows.getInt(1);
            }
        } while (blocked < connections && System.nanoTime() < deadline);
        assertEquals(connections, blocked, "every pooled connection held at the lock");
    }
}
