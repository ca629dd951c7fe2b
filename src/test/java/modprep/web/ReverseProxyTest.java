package modprep.web;

import static modprep.db.schema.Tables.AUDIT_EVENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import modprep.settings.Source;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, behind a reverse proxy: X-Forwarded-For and X-Forwarded-Proto are believed only from the
 * installation's trusted proxies, for the sign-in throttles, the audit's addresses and Secure cookies.
 * The test's requests all come from 127.0.0.1, the proxy when the installation trusts it.
 */
class ReverseProxyTest {
    private static final String WRONG = "not the password at all";
    /** UserAccounts.FREE_FAILURES: failures on one account from one address before the next attempt must wait. */
    private static final int FREE_FAILURES = 5;
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");

    @TempDir
    Path dir;

    /** A console; trusting these proxies from before its first request (the setting is read then). */
    private ConsoleServer server(String trustedProxies) {
        var server = new ConsoleServer(new TestEnvironment("11.16.1").module("Core"), dir.resolve("env"));
        if (trustedProxies != null) {
            server.app.installationSettings().set("trusted-proxies", trustedProxies, Source.request("a test"), "test");
        }
        return server;
    }

    private static int basic(ConsoleServer server, String password, String forwardedFor) {
        return ConsoleClient.of(server).api("GET", "/api/status", null, ConsoleClient.basic(ConsoleServer.VIEWER, password),
                Map.of(ForwardedClients.FOR, forwardedFor)).status();
    }

    /** The addresses of the audit's sign-in entries, oldest first. */
    private static List<String> signInAddresses(ConsoleServer server) {
        return server.app.database().dsl().select(AUDIT_EVENT.ADDRESS).from(AUDIT_EVENT).where(AUDIT_EVENT.ACTION.eq("sign-in"))
                .orderBy(AUDIT_EVENT.ID).fetch(AUDIT_EVENT.ADDRESS);
    }

    private static String lastSignInDetail(ConsoleServer server) {
        return server.app.database().dsl().select(AUDIT_EVENT.DETAIL).from(AUDIT_EVENT).where(AUDIT_EVENT.ACTION.eq("sign-in"))
                .orderBy(AUDIT_EVENT.ID.desc()).limit(1).fetchOne(AUDIT_EVENT.DETAIL);
    }

    @Test
    void through_a_trusted_proxy_the_forwarded_client_is_throttled_and_audited_not_the_proxy() {
        try (var server = server("127.0.0.1")) {
            for (int i = 0; i < FREE_FAILURES; i++) {
                assertEquals(401, basic(server, WRONG, "203.0.113.9"));
            }
            assertEquals(401, basic(server, ConsoleServer.PASSWORD, "203.0.113.9"), "203.0.113.9 has had its share of failures");
            assertEquals(200, basic(server, ConsoleServer.PASSWORD, "203.0.113.10"),
                    "another client behind the same proxy is not held back by 203.0.113.9's failures");
            var addresses = signInAddresses(server);
            assertEquals(FREE_FAILURES + 1, addresses.size(), addresses.toString());
            assertTrue(addresses.stream().allMatch("203.0.113.9"::equals), addresses.toString());
            assertTrue(lastSignInDetail(server).contains("Too many failed sign-ins for this account from this address"),
                    lastSignInDetail(server));
        }
    }

    @Test
    void from_an_untrusted_address_x_forwarded_for_is_ignored_and_the_connection_is_the_client() {
        try (var server = server(null)) {
            for (int i = 0; i < FREE_FAILURES; i++) {
                assertEquals(401, basic(server, WRONG, "203.0.113.9"));
            }
            assertEquals(401, basic(server, ConsoleServer.PASSWORD, "203.0.113.10"),
                    "a header does not make another client: every attempt came from 127.0.0.1");
            var addresses = signInAddresses(server);
            assertEquals(FREE_FAILURES + 1, addresses.size(), addresses.toString());
            assertTrue(addresses.stream().allMatch("127.0.0.1"::equals), addresses.toString());
            assertTrue(lastSignInDetail(server).contains("Too many failed sign-ins for this account from this address"),
                    lastSignInDetail(server));
        }
    }

    @Test
    void the_left_of_x_forwarded_for_is_not_believed_only_the_first_untrusted_address_from_the_right() {
        try (var server = server("127.0.0.1, 10.0.0.0/8")) {
            assertEquals(401, basic(server, WRONG, "198.51.100.66, 203.0.113.9")); // the client wrote the first entry
            assertEquals(401, basic(server, WRONG, "198.51.100.66, 203.0.113.9, 10.1.2.3")); // through two trusted proxies
            assertEquals(401, basic(server, WRONG, "198.51.100.66 , 203.0.113.9:4711")); // with the client's port
            assertEquals(401, basic(server, WRONG, "evil.example, 10.1.2.3")); // not an address: the last trusted proxy
            assertEquals(List.of("203.0.113.9", "203.0.113.9", "203.0.113.9", "10.1.2.3"), signInAddresses(server));
        }
    }

    @Test
    void x_forwarded_proto_https_from_a_trusted_proxy_makes_the_cookies_secure() throws Exception {
        try (var server = server("127.0.0.1")) {
            var cookies = signIn(server, "https");
            assertTrue(cookies.get("modprep_signin").contains("; Secure"), cookies.toString());
            assertTrue(cookies.get("modprep_session").contains("; Secure"), cookies.toString());
        }
    }

    @Test
    void x_forwarded_proto_https_from_an_untrusted_address_leaves_the_cookies_as_for_http() throws Exception {
        try (var server = server("10.0.0.0/8")) {
            var cookies = signIn(server, "https");
            assertFalse(cookies.get("modprep_signin").contains("Secure"), cookies.toString());
            assertFalse(cookies.get("modprep_session").contains("Secure"), cookies.toString());
        }
    }

    /**
     * Signs in through the form, each request saying X-Forwarded-Proto; the Set-Cookie headers by cookie
     * name. Cookies are carried by hand: the JDK's cookie store would not send a Secure one over http.
     */
    private static Map<String, String> signIn(ConsoleServer server, String proto) throws IOException, InterruptedException {
        var http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        var form = http.send(HttpRequest.newBuilder(java.net.URI.create(server.url("/signin"))).header(ForwardedClients.PROTO, proto)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        var cookies = new java.util.HashMap<String, String>();
        form.headers().allValues("Set-Cookie").forEach(c -> cookies.put(c.substring(0, c.indexOf('=')), c));
        var csrf = CSRF.matcher(form.body());
        assertTrue(csrf.find(), form.body());
        String signinCookie = cookies.get("modprep_signin").split(";")[0];
        var body = ConsoleClient.encode(Map.of("csrf", csrf.group(1), "name", ConsoleServer.ADMIN, "password", ConsoleServer.PASSWORD,
                "next", "/"));
        var answer = http.send(HttpRequest.newBuilder(java.net.URI.create(server.url("/signin"))).header(ForwardedClients.PROTO, proto)
                .header("Cookie", signinCookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, answer.statusCode(), answer.body());
        assertEquals("/", answer.headers().firstValue("Location").orElse(null), "a redirect stays relative: the proxy's host stands");
        answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("modprep_session="))
                .forEach(c -> cookies.put("modprep_session", c));
        assertTrue(cookies.containsKey("modprep_session"), answer.headers().toString());
        return cookies;
    }
}
