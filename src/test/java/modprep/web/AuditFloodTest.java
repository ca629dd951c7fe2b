package modprep.web;

import static modprep.db.schema.Tables.AUDIT_EVENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import modprep.testing.SteppedClock;
import modprep.testing.TestEnvironment;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, M2: signed out, anyone can be refused as often as they like; the audit keeps a bounded
 * number of small rows per address and minute, and counts the rest in one row.
 */
class AuditFloodTest {
    @TempDir
    Path dir;

    private static long rows(ConsoleServer server) {
        return server.app.database().dsl().fetchCount(AUDIT_EVENT);
    }

    /** Characters stored in the audit's text columns. */
    private static long characters(ConsoleServer server) {
        var length = DSL.coalesce(DSL.length(AUDIT_EVENT.TARGET), 0).plus(DSL.coalesce(DSL.length(AUDIT_EVENT.DETAIL), 0))
                .plus(DSL.length(AUDIT_EVENT.ACTOR)).plus(DSL.coalesce(DSL.length(AUDIT_EVENT.ADDRESS), 0));
        var total = server.app.database().dsl().select(DSL.sum(length)).from(AUDIT_EVENT).fetchOne(0, Long.class);
        return total == null ? 0 : total;
    }

    /** One refused request of three kinds, in turn: an unknown token, a wrong password over HTTP Basic, a sign-in form with no CSRF token. */
    private static ConsoleClient.Response refused(ConsoleServer server, int i) {
        var client = ConsoleClient.of(server);
        String longPath = "/api/" + "x".repeat(3_990);
        return switch (i % 3) {
            case 0 -> client.api("GET", longPath, null, ConsoleClient.bearer("mp_" + "y".repeat(90) + i));
            case 1 -> client.api("GET", longPath, null, ConsoleClient.basic("n".repeat(99) + i, "wrong password!"));
            default -> client.postExactly("/signin", Map.of("name", "n".repeat(4_000), "password", "p", "next", "/" + "z".repeat(4_000)));
        };
    }

    @Test
    void three_hundred_refused_requests_from_twenty_parallel_clients_add_a_bounded_number_of_small_rows_and_one_summary_M2() throws Exception {
        var clock = new SteppedClock(Instant.parse("2026-01-01T10:00:00Z"));
        try (var server = new ConsoleServer(new TestEnvironment("11.16.1").module("Core"), dir.resolve("env"), clock)) {
            long rowsBefore = rows(server);
            long charactersBefore = characters(server);
            var threads = Executors.newFixedThreadPool(20);
            var start = new CountDownLatch(1);
            var answers = new ArrayList<Future<Integer>>();
            for (int client = 0; client < 20; client++) {
                int first = client * 15;
                answers.add(threads.submit(() -> {
                    start.await();
                    int refusedCount = 0;
                    for (int i = first; i < first + 15; i++) {
                        int status = refused(server, i).status();
                        assertTrue(Set.of(401, 403, 503).contains(status), "refused: " + status);
                        refusedCount++;
                    }
                    return refusedCount;
                }));
            }
            start.countDown();
            int sent = 0;
            for (var answer : answers) {
                sent += answer.get();
            }
            threads.shutdown();
            assertEquals(300, sent);

            long written = rows(server) - rowsBefore;
            long stored = characters(server) - charactersBefore;
            assertTrue(written <= 25, "a bounded number of rows for 300 refusals from one address: " + written);
            assertTrue(stored <= 40_000, "and of characters: " + stored);
            var longest = server.app.database().dsl().select(DSL.max(DSL.length(AUDIT_EVENT.TARGET)), DSL.max(DSL.length(AUDIT_EVENT.DETAIL)))
                    .from(AUDIT_EVENT).fetchOne();
            assertTrue(longest.value1() <= 300 && longest.value2() <= 1_000, "each row is small: " + longest);

            // The minute over, the next refusal from there writes what was only counted, in one row.
            clock.advance(Duration.ofSeconds(61));
            assertEquals(401, refused(server, 0).status());
            var summaries = server.app.database().dsl().select(AUDIT_EVENT.DETAIL).from(AUDIT_EVENT)
                    .where(AUDIT_EVENT.DETAIL.contains("more refused")).fetch(AUDIT_EVENT.DETAIL);
            assertEquals(1, summaries.size(), summaries.toString());
            var summary = Pattern.compile("(\\d+) more refused sign-ins from 127\\.0\\.0\\.1 in the minute from 10:00:00 UTC.*")
                    .matcher(summaries.get(0));
            assertTrue(summary.matches(), summaries.get(0));
            assertEquals(300, written + Integer.parseInt(summary.group(1)), "every refusal is written or counted");
            assertEquals(written + 2, rows(server) - rowsBefore, "the summary and the new refusal");
            List<String> newest = server.app.database().dsl().select(AUDIT_EVENT.DETAIL).from(AUDIT_EVENT)
                    .orderBy(AUDIT_EVENT.ID.desc()).limit(1).fetch(AUDIT_EVENT.DETAIL);
            assertTrue(newest.get(0).startsWith("unknown, expired or revoked API token, on GET /api/xxx"), newest.toString());
            assertTrue(newest.get(0).endsWith("…"), "a long path is cut, and says so: " + newest);
        }
    }
}
