package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
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
    void a_user_holds_at_most_eight_event_streams_a_ninth_page_closes_the_oldest_and_other_users_are_untouched_Info()
            throws IOException {
        try (var server = new ConsoleServer(new TestEnvironment("11.16.1").module("Core"), dir.resolve("env"))) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var viewer = ConsoleClient.of(server).signedIn(ConsoleServer.VIEWER, ConsoleServer.PASSWORD).stream("/events");
            assertTrue(firstEvent(viewer).startsWith("event: progress"), "another user's stream is served");
            var open = new ArrayList<HttpResponse<InputStream>>();
            try {
                for (int i = 0; i < 8; i++) {
                    var stream = admin.stream("/events");
                    assertEquals(200, stream.statusCode(), "stream " + (i + 1));
                    assertTrue(firstEvent(stream).startsWith("event: progress"), "stream " + (i + 1) + " is served");
                    open.add(stream);
                }
                // A ninth page, in another session of the same user: served, and the oldest page's stream ends.
                var ninth = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD).stream("/events");
                assertEquals(200, ninth.statusCode());
                assertTrue(firstEvent(ninth).startsWith("event: progress"), "the newest page is served");
                open.add(ninth);
                var oldest = new String(open.remove(0).body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(oldest.contains("event: superseded"), "the oldest page is told not to reconnect: " + oldest);
                // The viewer's stream goes on: the ninth page took a place of the administrator's only.
                server.app.preparations().upgrade("11.17.0", "admin");
                var next = new StringBuilder();
                var in = viewer.body();
                while (!next.toString().contains("event: progress")) {
                    int c = in.read();
                    assertTrue(c >= 0, "the viewer's stream was not closed");
                    next.append((char) c);
                }
            } finally {
                viewer.body().close();
                for (var stream : open) {
                    stream.body().close();
                }
            }
        }
    }
}
