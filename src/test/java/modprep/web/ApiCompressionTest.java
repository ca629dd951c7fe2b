package modprep.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, target 5: an ended run's JSON is gzipped once and sent as it is to every client that accepts
 * gzip (decoded once, it is the same JSON as sent plain), and a client asking again with its ETag gets
 * a 304 without a body. Either is written in one piece with its length, not chunked.
 */
class ApiCompressionTest {
    @TempDir
    Path dir;

    private static HttpResponse<byte[]> get(ConsoleServer server, String path, String... headers) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(ConsoleClient.of(server).uri(path))
                .header("Authorization", ConsoleClient.basic(ConsoleServer.ADMIN, ConsoleServer.PASSWORD));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void an_ended_runs_json_is_sent_gzipped_once_made_and_answers_304_to_its_etag() throws Exception {
        var env = new TestEnvironment("11.16.1");
        for (int i = 0; i < 12; i++) {
            env.module("M" + i, i == 0 ? new String[0] : new String[] {"M" + (i - 1)});
        }
        try (var server = new ConsoleServer(env, dir.resolve("env"))) {
            var started = server.app.preparations().upgrade("11.17.0", "test");
            server.startWorker();
            TestEnvironment.awaitEnd(server.app, started.runId(), Duration.ofSeconds(60));

            var plain = get(server, "/api/preparations/" + started.runId());
            assertEquals(200, plain.statusCode());
            assertNull(plain.headers().firstValue("Content-Encoding").orElse(null), "not gzipped unless asked");
            assertTrue(plain.body().length > 1500, "large enough to be worth gzipping: " + plain.body().length);
            assertEquals(String.valueOf(plain.body().length), plain.headers().firstValue("Content-Length").orElse(null),
                    "sent in one piece, with its length");

            var gzipped = get(server, "/api/preparations/" + started.runId(), "Accept-Encoding", "gzip");
            assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(null));
            assertEquals(String.valueOf(gzipped.body().length), gzipped.headers().firstValue("Content-Length").orElse(null));
            assertTrue(gzipped.body().length < plain.body().length / 2, "compressed: " + gzipped.body().length);
            try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
                assertArrayEquals(plain.body(), in.readAllBytes(), "decoded once, the same JSON");
            }
            var again = get(server, "/api/preparations/" + started.runId(), "Accept-Encoding", "gzip");
            assertArrayEquals(gzipped.body(), again.body(), "the bytes made once are sent again");

            String etag = plain.headers().firstValue("ETag").orElse(null);
            assertNotNull(etag);
            var unchanged = get(server, "/api/preparations/" + started.runId(), "If-None-Match", etag);
            assertEquals(304, unchanged.statusCode());
            assertEquals(0, unchanged.body().length);
        }
    }
}
