package modprep.web;

import static modprep.db.schema.Tables.AUDIT_EVENT;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import modprep.preparation.WorkerKind;
import modprep.status.RunStatus;
import modprep.testing.Builds;
import modprep.testing.RowLock;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4, item 6 over HTTP: requests racing each other start one run, publish once. */
class ConcurrentRequestsTest {
    @TempDir
    Path dir;

    private final TestEnvironment env = new TestEnvironment("11.16.1").module("Core").failing("Legacy", "Core")
            .module("Web", "Core").module("Shop", "Web", "Legacy");

    /**
     * Sends the same API request from as many threads at once, runs {@code meanwhile} while they are
     * under way, and returns each answer.
     */
    private static List<ConsoleClient.Response> together(ConsoleServer server, int threads, String method, String path,
                                                         Runnable meanwhile) throws Exception {
        // Verified once (Argon2 is slow on purpose), the credential is cached: the racing requests start together.
        assertEquals(200, ConsoleClient.of(server).api("GET", "/api/status", null, BASIC).status());
        return together(server, threads, method, path, meanwhile, BASIC);
    }

    private static final String BASIC = ConsoleClient.basic(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);

    private static List<ConsoleClient.Response> together(ConsoleServer server, int threads, String method, String path,
                                                         Runnable meanwhile, String basic) throws Exception {
        var client = ConsoleClient.of(server);
        var start = new CyclicBarrier(threads);
        var pool = Executors.newFixedThreadPool(threads);
        try {
            var futures = new ArrayList<Future<ConsoleClient.Response>>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return client.api(method, path, null, basic);
                }));
            }
            meanwhile.run();
            var answers = new ArrayList<ConsoleClient.Response>();
            for (var future : futures) {
                answers.add(future.get(2, TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_clients_first_sixteen_requests_at_once_with_one_basic_credential_are_all_answered_not_throttled() throws Exception {
        try (var server = new ConsoleServer(env, dir.resolve("env"))) {
            // Nothing cached yet: each request checking the password for itself counted as one more sign-in
            // attempt, and past five at once the account was throttled as if guessing (401s).
            var answers = together(server, 16, "GET", "/api/status", () -> { }, BASIC);
            var statuses = answers.stream().map(ConsoleClient.Response::status).toList();
            assertEquals(List.of(200), statuses.stream().distinct().toList(), "each request's answer: " + statuses);
            var dsl = server.app.database().dsl();
            assertEquals(0, dsl.fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("sign-in"), AUDIT_EVENT.OUTCOME.eq("refused")));
        }
    }

    @Test
    void twenty_concurrent_prepare_requests_over_http_start_exactly_one_run_and_the_others_are_refused_with_409() throws Exception {
        try (var server = new ConsoleServer(env, dir.resolve("env"))) {
            var upgrade = server.app.preparations().upgrade("11.17.0", "admin");
            try (var worker = server.app.worker(WorkerKind.SERVER).start()) {
                assertEquals(RunStatus.FAILED, TestEnvironment.awaitEnd(server.app, upgrade.runId(), Duration.ofSeconds(60)).status(),
                        "Legacy fails, Shop is blocked: there is something for Prepare to do");
            }
            // No worker from here on: the run Prepare starts stays in progress while the other requests arrive.
            var answers = together(server, 20, "POST", "/api/prepare", () -> { });
            var started = answers.stream().filter(a -> a.status() == 202).toList();
            var refused = answers.stream().filter(a -> a.status() == 409).toList();
            assertEquals(1, started.size(), "one run started: " + answers);
            assertEquals(19, refused.size(), "the others refused: " + answers);
            assertTrue(started.get(0).body().contains("\"runId\":2"), started.get(0).body());
            for (var answer : refused) {
                assertTrue(answer.body().contains("\"error\":\"refused\"") && answer.body().contains("preparation run #2 (started by admin) is in progress"),
                        answer.body());
            }
            var dsl = server.app.database().dsl();
            assertEquals(2, dsl.fetchCount(PREPARATION_RUN), "run #1 (the upgrade's) and the one Prepare started");
            assertEquals(1, dsl.fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("prepare"), AUDIT_EVENT.OUTCOME.eq("succeeded")));
            assertEquals(19, dsl.fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("prepare"), AUDIT_EVENT.OUTCOME.eq("refused")));
        }
    }

    @Test
    void two_concurrent_publishes_of_one_module_over_http_give_one_success_and_one_clear_409_refusal() throws Exception {
        var published = new TestEnvironment("11.16.1").module("Core").module("Web", "Core");
        try (var server = new ConsoleServer(published, dir.resolve("env"))) {
            server.app.uploader().upload(published.writeChanged(dir.resolve("v2"), "Web", 2), "bob");
            int rowVersion = Builds.module(server.app, "Web").getRowVersion();
            List<ConsoleClient.Response> answers;
            // Both publishes are held at the module's row until both have read it: they overlap every time.
            try (var rowLock = RowLock.take(server.app.database(), "SELECT id FROM module WHERE name = 'Web' FOR UPDATE")) {
                answers = together(server, 2, "POST", "/api/modules/Web/publish", () -> {
                    rowLock.awaitWaiting(2);
                    rowLock.release();
                });
            }
            var ok = answers.stream().filter(a -> a.status() == 200).toList();
            var refused = answers.stream().filter(a -> a.status() == 409).toList();
            assertEquals(1, ok.size(), answers.toString());
            assertEquals(1, refused.size(), answers.toString());
            String message = refused.get(0).body();
            assertTrue(message.contains("\"error\":\"refused\""), message);
            assertTrue(message.contains("was refused: it was published meanwhile by admin"), message);
            assertTrue(message.contains("Nothing was changed"), message);
            var web = Builds.module(server.app, "Web");
            assertEquals(rowVersion + 1, web.getRowVersion(), "published exactly once");
            assertTrue(ok.get(0).body().contains(web.getRunningJar()), "the success is what runs: " + ok.get(0).body());
        }
    }
}
