package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14, Info: a user holds a bounded number of live-update streams (/events) open at once. */
class EventStreamsTest {
    @TempDir
    Path dir;

    /** Reads the stream's first event (the state when it opened), so that the stream is known to be served. */
    private static String firstEvent(HttpResponse<InputStream> stream) throws IOException {
        var text = new StringBuilder();
        var in = stream.body();
        while (!text.toString().contains("\n\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            text.append((char) c);
        }
        return text.toString();
    }

    @Test
    void a_user_opens_at_most_eight_event_streams_at_once_the_ninth_gets_429_and_a_closed_one_frees_its_place_Info() throws IOException {
        try (var server = new ConsoleServer(new TestEnvironment("11.16.1").module("Core"), dir.resolve("env"))) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var open = new ArrayList<HttpResponse<InputStream>>();
            try {
                for (int i = 0; i < 8; i++) {
                    var stream = admin.stream("/events");
                    assertEquals(200, stream.statusCode(), "stream " + (i + 1));
                    assertTrue(firstEvent(stream).startsWith("event: progress"), "stream " + (i + 1) + " is served");
                    open.add(stream);
                }
                var ninth = admin.stream("/events");
                if (ninth.statusCode() == 200) {
                    ninth.body().close(); // served: it would never end
                }
                assertEquals(429, ninth.statusCode(), "the ninth stream");
                String body = new String(ninth.body().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(body.contains("8 live pages"), body);
                var otherSession = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD).stream("/events");
                otherSession.body().close();
                assertEquals(429, otherSession.statusCode(), "per user, not per session");
                var viewer = ConsoleClient.of(server).signedIn(ConsoleServer.VIEWER, ConsoleServer.PASSWORD).stream("/events");
                assertEquals(200, viewer.statusCode(), "another user has places of their own");
                viewer.body().close();

                // A page closed (its stream ended) frees its place: the server finds out when it next writes to it.
                open.remove(0).body().close();
                TestEnvironment.awaitTrue("a closed stream's place is free again", Duration.ofSeconds(60), () -> {
                    var again = admin.stream("/events");
                    try {
                        again.body().close();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return again.statusCode() == 200;
                });
            } finally {
                for (var stream : open) {
                    stream.body().close();
                }
            }
        }
    }
}
