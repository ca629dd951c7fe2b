package modprep.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A body made once is sent whole with its length every time: the first time from the heap, then, when
 * large, from its copy outside the heap (through Jetty, as the server sends it); a small one is never copied.
 */
class SentBytesTest {
    @Test
    void a_large_body_and_a_small_one_are_sent_whole_with_their_length_each_time() throws Exception {
        var random = new Random(15);
        byte[] large = new byte[SentBytes.DIRECT_FROM_BYTES + 300_000];
        byte[] small = new byte[2_000];
        random.nextBytes(large);
        random.nextBytes(small);
        var sentLarge = new SentBytes(large);
        var sentSmall = new SentBytes(small);
        var app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/large", sentLarge::send);
            cfg.routes.get("/small", sentSmall::send);
        }).start("127.0.0.1", 0);
        try {
            var client = HttpClient.newHttpClient();
            for (String path : new String[] {"/large", "/small"}) {
                byte[] expected = path.equals("/large") ? large : small;
                for (int i = 1; i <= 3; i++) {
                    var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, response.statusCode());
                    assertEquals(String.valueOf(expected.length), response.headers().firstValue("Content-Length").orElse(null),
                            path + ", sending " + i);
                    assertArrayEquals(expected, response.body(), path + ", sending " + i);
                    if (i == 1 && expected == large) {
                        assertFalse(sentLarge.copied(), "a body sent once is not copied");
                    }
                }
            }
            assertTrue(sentLarge.copied(), "sent again, from its copy");
            assertFalse(sentSmall.copied(), "a small body is never copied");
            assertEquals(2L * large.length, SentBytes.size(large.length), "a large body counts its copy");
            assertEquals(small.length, SentBytes.size(small.length));
        } finally {
            app.stop();
        }
    }
}
