package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, L3: an upload is bounded, and a viewer's is refused before its body is read (the form's
 * CSRF token is in that body, so the role is checked first).
 */
class UploadLimitsTest {
    private static final long THREE_HUNDRED_MB = 300L * 1024 * 1024;

    @TempDir
    Path dir;

    private ConsoleServer server() {
        return new ConsoleServer(new TestEnvironment("11.16.1").module("Lone"), dir.resolve("env"));
    }

    /**
     * Sends the headers of a multipart upload announcing {@code length} bytes, and only its first part
     * (the CSRF token) and a megabyte of the file; returns the status line of the answer. A server that
     * reads the body before answering waits for the rest, which never comes: the read times out.
     */
    private static String announce(ConsoleServer server, ConsoleClient client, String path, long length) throws IOException {
        var url = URI.create(server.url(path));
        String session = client.cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("modprep_session")).findFirst().orElseThrow().getValue();
        try (var socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            String boundary = "----modprep-limits";
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort() + "\r\n"
                    + "Cookie: modprep_session=" + session + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                    + "Content-Length: " + length + "\r\n\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + client.csrf + "\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"Lone.zip\"\r\n"
                    + "Content-Type: application/zip\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.UTF_8));
            try {
                out.write(new byte[1024 * 1024]);
                out.flush();
            } catch (java.net.SocketException refusedAlready) {
                // The server answered and closed without reading the body: its answer is read below.
            }
            InputStream in = socket.getInputStream();
            var line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    @Test
    void a_viewer_s_upload_of_300_mb_is_refused_with_403_before_its_body_is_read_L3() throws IOException {
        try (var server = server()) {
            var viewer = ConsoleClient.of(server).signedIn(ConsoleServer.VIEWER, ConsoleServer.PASSWORD);
            var before = server.state();
            for (String path : List.of("/modules/Lone/upload", "/modules/upload")) {
                assertEquals("HTTP/1.1 403 Forbidden", announce(server, viewer, path, THREE_HUNDRED_MB), path);
            }
            assertEquals(before, server.state(), "nothing changed");
        }
    }

    @Test
    void an_administrator_s_upload_over_the_limit_is_refused_with_413_and_a_message_and_nothing_is_stored_L3() throws IOException {
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var before = server.state();
            assertEquals("HTTP/1.1 413 Payload Too Large", announce(server, admin, "/modules/Lone/upload", THREE_HUNDRED_MB),
                    "announced larger than the limit: refused before reading");
            admin.get("/modules/Lone");
            var sent = admin.upload("/modules/Lone/upload", Map.of(), "Lone.zip", new byte[22 * 1024 * 1024]);
            assertEquals(413, sent.status(), "sent larger than the limit");
            assertTrue(ConsoleClient.errorMessage(sent.body()).contains("larger than 20 MiB"), sent.body());
            admin.get("/modules/Lone");
            var chunked = admin.uploadChunked("/modules/Lone/upload", "Lone.zip", new byte[22 * 1024 * 1024]);
            assertEquals(413, chunked.status(), "sent larger than the limit, without announcing its length");
            assertTrue(ConsoleClient.errorMessage(chunked.body()).contains("larger than 20 MiB"), chunked.body());
            assertEquals(before, server.state(), "nothing changed");
            assertEquals(200, admin.get("/modules/Lone").status(), "and the session goes on");
        }
    }
}
