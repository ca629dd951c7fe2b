package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, M3: a page of another site cannot drive the JSON API from a browser: changes need the
 * console's own origin and a JSON body, and a 401 does not invite the browser to keep a password. A
 * script (curl), which sends neither Origin nor Sec-Fetch-Site, works as before.
 */
class ApiFromOtherSitesTest {
    private static final String UPGRADE = "{\"toVersion\":\"11.17.0\"}";

    @TempDir
    Path dir;

    private ConsoleServer server() {
        return new ConsoleServer(new TestEnvironment("11.16.1").module("Core").module("Web", "Core"), dir.resolve("env"));
    }

    private static Map<String, String> headers(String... pairs) {
        var headers = new LinkedHashMap<String, String>();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    @Test
    void a_change_sent_from_another_site_or_without_a_json_body_is_refused_and_changes_nothing_M3() {
        try (var server = server()) {
            var client = ConsoleClient.of(server);
            String admin = ConsoleClient.basic(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            String json = "application/json";
            var before = server.state();
            var cases = new LinkedHashMap<String, Object[]>();
            cases.put("a form from another site", new Object[] {"POST", "/api/upgrade", "toVersion=11.17.0",
                    headers("Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"), 403});
            cases.put("JSON from another origin", new Object[] {"POST", "/api/upgrade", UPGRADE,
                    headers("Content-Type", json, "Origin", "https://evil.example"), 403});
            cases.put("an opaque origin", new Object[] {"POST", "/api/upgrade", UPGRADE, headers("Content-Type", json, "Origin", "null"), 403});
            cases.put("another port of this host", new Object[] {"POST", "/api/upgrade", UPGRADE,
                    headers("Content-Type", json, "Origin", "http://127.0.0.1:1"), 403});
            cases.put("cross-site, no Origin", new Object[] {"POST", "/api/upgrade", UPGRADE,
                    headers("Content-Type", json, "Sec-Fetch-Site", "cross-site"), 403});
            cases.put("body-less prepare from another site", new Object[] {"POST", "/api/prepare", null,
                    headers("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"), 403});
            cases.put("delete from another site", new Object[] {"DELETE", "/api/modules/Web", null,
                    headers("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"), 403});
            cases.put("a text/plain body", new Object[] {"POST", "/api/upgrade", UPGRADE, headers("Content-Type", "text/plain"), 415});
            cases.put("a form body", new Object[] {"POST", "/api/upgrade", UPGRADE,
                    headers("Content-Type", "application/x-www-form-urlencoded"), 415});
            cases.put("a body without a content type", new Object[] {"POST", "/api/modules/Web/configurations", "{}", headers(), 415});
            cases.forEach((what, c) -> {
                @SuppressWarnings("unchecked")
                var sent = (Map<String, String>) c[3];
                var answer = client.api((String) c[0], (String) c[1], (String) c[2], admin, sent);
                assertEquals(c[4], answer.status(), what + ": " + answer.body());
                var body = modprep.Json.MAPPER.convertValue(readTree(answer.body()), Map.class);
                assertEquals(java.util.Set.of("error", "message"), body.keySet(), what + ": " + answer.body());
                assertEquals(answer.status() == 403 ? "cross_site" : "unsupported_media_type", body.get("error"), what);
                assertEquals(before, server.state(), what + ": nothing changed");
            });

            var unauthorized = client.api("GET", "/api/status", null, null);
            assertEquals(401, unauthorized.status());
            assertEquals("Bearer realm=\"modprep\"", unauthorized.header("WWW-Authenticate"),
                    "not Basic: a browser must not ask for, and keep, a password for the API");
        }
    }

    private static Object readTree(String body) {
        try {
            return modprep.Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    @Test
    void scripts_without_origin_and_the_console_s_own_origin_keep_working_M3() {
        try (var server = server()) {
            var client = ConsoleClient.of(server);
            String admin = ConsoleClient.basic(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            String own = server.url("");
            var prepare = client.api("POST", "/api/prepare", null, admin, headers());
            assertEquals(200, prepare.status(), "curl -X POST, no body, no content type: " + prepare.body());
            var configure = client.api("POST", "/api/modules/Web/configurations", "{}", admin,
                    headers("Content-Type", "application/json; charset=utf-8", "Origin", own, "Sec-Fetch-Site", "same-origin"));
            assertEquals(200, configure.status(), "from the console's own origin, JSON with a charset: " + configure.body());
            var reads = client.api("GET", "/api/modules/Web", null, admin, headers("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"));
            assertEquals(200, reads.status(), "a read changes nothing (and CORS keeps its answer from the other site)");
            var upgrade = client.api("POST", "/api/upgrade", UPGRADE, admin, headers("Content-Type", "application/json"));
            assertEquals(202, upgrade.status(), upgrade.body());
        }
    }
}
