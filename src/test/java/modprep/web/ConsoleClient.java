package modprep.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The console seen over HTTP with the JDK's client, as a browser without JavaScript would: its own
 * cookies (the session), the CSRF token of the last page it read, redirects not followed (a test
 * looks at them). Also the JSON API, with HTTP Basic or a token and no cookie.
 */
final class ConsoleClient {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
    private static final Pattern FLASH = Pattern.compile("<div class=\"flash-message\">(.*?)</div>", Pattern.DOTALL);
    private static final Pattern ERROR = Pattern.compile("class=\"alert alert-danger error-message\">(.*?)</div>", Pattern.DOTALL);

    private final String base;
    final CookieManager cookies;
    private final HttpClient http;
    /** The CSRF token of the last page read (null before any). */
    String csrf;
    /** How long a request may go unanswered before it fails (HttpTimeoutException). */
    private Duration timeout = Duration.ofSeconds(60);

    /** A finished request: status, body and headers. */
    record Response(int status, String body, HttpHeaders headers) {
        String location() {
            return headers.firstValue("Location").orElse(null);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    ConsoleClient(String base) {
        this(base, new CookieManager(null, CookiePolicy.ACCEPT_ALL));
    }

    private ConsoleClient(String base, CookieManager cookies) {
        this.base = base;
        this.cookies = cookies;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Every request of this client fails unless answered within this long. */
    ConsoleClient timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** The same browser (its cookies, its last CSRF token) talking to another node of the installation. */
    ConsoleClient at(String otherBase) {
        var other = new ConsoleClient(otherBase, cookies);
        other.csrf = csrf;
        other.timeout = timeout;
        return other;
    }

    static ConsoleClient of(ConsoleServer server) {
        return new ConsoleClient(server.url(""));
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** The page fetched again as static/js/live.js does after a live update (not the user opening it). */
    Response live(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("X-Requested-With", "live").GET());
    }

    /** Opens a server-sent events stream, as a page does; the answer's body is read (and closed) by the caller. */
    HttpResponse<java.io.InputStream> stream(String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request of any method without a body, with this client's cookies. */
    Response send(String method, String path) {
        return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** A form POST with the CSRF token of the last page read added (unless the form has its own). */
    Response post(String path, Map<String, String> form) {
        var fields = new LinkedHashMap<String, String>();
        if (csrf != null && !form.containsKey("csrf")) {
            fields.put("csrf", csrf);
        }
        fields.putAll(form);
        return postEncoded(path, encode(fields));
    }

    /** A form POST of exactly these fields, no token added (a forged one, for instance). */
    Response postExactly(String path, Map<String, String> form) {
        return postEncoded(path, encode(form));
    }

    private Response postEncoded(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A multipart form POST with one file field "archive", as the module page's upload form sends it. */
    Response upload(String path, Map<String, String> fields, String fileName, byte[] content) {
        return upload(path, fields, fileName, content, false);
    }

    /** The same, sent in chunks: the request does not say how long it is. */
    Response uploadChunked(String path, String fileName, byte[] content) {
        return upload(path, Map.of(), fileName, content, true);
    }

    private Response upload(String path, Map<String, String> fields, String fileName, byte[] content, boolean chunked) {
        String boundary = "----modprep" + UUID.randomUUID();
        var body = new ByteArrayOutputStream();
        var all = new LinkedHashMap<String, String>();
        if (csrf != null) {
            all.put("csrf", csrf);
        }
        all.putAll(fields);
        all.forEach((k, v) -> write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n"));
        if (content != null) {
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/zip\r\n\r\n");
            body.writeBytes(content);
            write(body, "\r\n");
        }
        write(body, "--" + boundary + "--\r\n");
        byte[] bytes = body.toByteArray();
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))
                        : HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Signs in through the sign-in form; returns the answer to the POST. */
    Response signIn(String user, String password) {
        get("/signin");
        return post("/signin", Map.of("name", user, "password", password, "next", "/"));
    }

    /** Signs in and fails the test unless it worked. */
    ConsoleClient signedIn(String user, String password) {
        var answer = signIn(user, password);
        if (answer.status() != 302) {
            throw new AssertionError("sign-in of " + user + " failed: " + answer.status() + " " + answer.body());
        }
        get("/"); // a page of the signed-in session, for its CSRF token
        return this;
    }

    /** Follows a redirect, and returns the flash message the page shows (unescaped), or null. */
    String flashAfter(Response redirect) {
        if (redirect.status() != 302) {
            throw new AssertionError("expected a redirect, got " + redirect.status() + ": " + redirect.body());
        }
        return flash(get(redirect.location()).body());
    }

    static String flash(String html) {
        var m = FLASH.matcher(html);
        return m.find() ? unescape(m.group(1)) : null;
    }

    static String errorMessage(String html) {
        var m = ERROR.matcher(html);
        return m.find() ? unescape(m.group(1)) : null;
    }

    /** The text of HTML, as a browser reads it: escaped markup, and characters beyond ASCII written as references. */
    static String unescape(String html) {
        return org.unbescape.html.HtmlEscape.unescapeHtml(html);
    }

    /** A JSON API request, without cookies, with the given Authorization header (or none). */
    Response api(String method, String path, String json, String authorization) {
        var request = HttpRequest.newBuilder(uri(path)).timeout(timeout).method(method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return exchange(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(), request.build());
    }

    /** A JSON API request with exactly these headers (a content type, an Origin...), without cookies. */
    Response api(String method, String path, String body, String authorization, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return exchange(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(), request.build());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    private Response send(HttpRequest.Builder request) {
        var answer = exchange(http, request.timeout(timeout).build());
        var token = CSRF_FIELD.matcher(answer.body());
        if (token.find()) {
            csrf = token.group(1);
        }
        return answer;
    }

    private static Response exchange(HttpClient client, HttpRequest request) {
        try {
            var answer = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(answer.statusCode(), answer.body(), answer.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** A path segment for a name, percent-encoded (a space as %20, a slash as %2F). */
    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
