package modprep.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A webhook receiver on 127.0.0.1 (the JDK's HttpServer): keeps every request it is sent and answers
 * with the status its policy gives for the n-th request (1-based), so a test can make it fail first.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    public record Received(String path, String event, String idempotencyKey, String signature, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private volatile Function<Integer, Integer> policy;

    /** Answers 204 to everything. */
    public WebhookReceiver() {
        this(n -> 204);
    }

    /** @param policy the status to answer the n-th request with (it may block, to hold a request open) */
    public WebhookReceiver(Function<Integer, Integer> policy) {
        this.policy = policy;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public void answerWith(Function<Integer, Integer> policy) {
        this.policy = policy;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        var headers = exchange.getRequestHeaders();
        int n;
        synchronized (received) {
            received.add(new Received(exchange.getRequestURI().getPath(), headers.getFirst("X-Modprep-Event"),
                    headers.getFirst("Idempotency-Key"), headers.getFirst("X-Modprep-Signature-256"), body));
            n = received.size();
        }
        int status = policy.apply(n);
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
