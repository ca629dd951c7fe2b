package modprep.web;

import static modprep.db.schema.Tables.AUDIT_EVENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import modprep.Modprep;
import modprep.testing.TestEnvironment;
import modprep.testing.TestEnvironment.ModuleDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, items 1–4 over HTTP: sign-in, roles, CSRF, the session cookie, throttled sign-ins, the API's
 * credentials, security headers and the audit, against the real console on a free port.
 */
class AccessControlTest {
    private static final String PASSWORD = ConsoleServer.PASSWORD;

    @TempDir
    Path dir;

    private ConsoleServer server() {
        return server(Clock.systemUTC());
    }

    private ConsoleServer server(Clock clock) {
        var env = new TestEnvironment("11.16.1").module("Core").module("Web", "Core")
                .add(new ModuleDef("Lone", "Other", true, List.of(), false, Map.of("color", "blue")));
        return new ConsoleServer(env, dir.resolve("env"), clock);
    }

    /** A server with one finished run (so that every run page exists). */
    private ConsoleServer serverWithRun() {
        var server = server();
        var started = server.app.preparations().upgrade("11.17.0", "setup");
        server.startWorker();
        TestEnvironment.awaitEnd(server.app, started.runId(), Duration.ofSeconds(60));
        // And a deployment, so that /deployments/1 and /api/deployments/1 exist too.
        long deployment = server.app.deployments().deploy("setup").deploymentId();
        TestEnvironment.awaitTrue("deployment #" + deployment + " ends", Duration.ofSeconds(60),
                () -> !new modprep.readmodel.DeploymentQueries(server.app.database().dsl()).deployment(deployment, false).running());
        return server;
    }

    /** The routes of WebApp, read from its source: a route added later is covered without editing this test. */
    private static List<String[]> routes() throws IOException {
        String source = Files.readString(Path.of("src/main/java/modprep/web/WebApp.java"));
        var matcher = Pattern.compile("cfg\\.routes\\.(get|post|delete)\\(\"([^\"]+)\"").matcher(source);
        var routes = new ArrayList<String[]>();
        while (matcher.find()) {
            routes.add(new String[] {matcher.group(1).toUpperCase(), matcher.group(2)});
        }
        assertTrue(routes.size() > 30, "WebApp's routes were found: " + routes.size());
        return routes;
    }

    /** A route's path with its parameters filled in: the module Lone, its application Other, run #1. */
    /** Pages a viewer may not even see. */
    private static final java.util.Set<String> ADMINISTRATORS_ONLY = java.util.Set.of("/notifications");

    private static String concrete(String route) {
        return route.replace("/applications/{name}", "/applications/Other").replace("{name}", "Lone").replace("{id}", "1");
    }

    private static List<String> paths(String method, boolean api) throws IOException {
        return routes().stream().filter(r -> r[0].equals(method) && r[1].startsWith("/api/") == api).map(r -> concrete(r[1])).toList();
    }

    private static List<String> audit(Modprep app, String actor, String action, String outcome) {
        return app.database().dsl().select(AUDIT_EVENT.TARGET).from(AUDIT_EVENT)
                .where(AUDIT_EVENT.ACTOR.eq(actor), AUDIT_EVENT.ACTION.eq(action), AUDIT_EVENT.OUTCOME.eq(outcome))
                .orderBy(AUDIT_EVENT.ID).fetch(AUDIT_EVENT.TARGET);
    }

    @Test
    void signed_out_every_page_leads_to_the_sign_in_page_and_every_action_is_refused() throws IOException {
        try (var server = serverWithRun()) {
            var client = ConsoleClient.of(server);
            var before = server.state();
            for (String path : paths("GET", false)) {
                if (path.equals("/signin")) {
                    continue;
                }
                var answer = client.get(path);
                if (path.equals("/health") || path.equals("/metrics")) { // for monitoring, not people (MonitoringTest)
                    assertEquals(path.equals("/health") ? 200 : 401, answer.status(), path);
                    assertEquals(null, answer.header("Set-Cookie"), path + " starts no session");
                    continue;
                }
                assertEquals(302, answer.status(), path);
                assertTrue(answer.location().startsWith("/signin?next="), path + " → " + answer.location());
            }
            assertEquals("/signin?next=%2Fmodules%3Fq%3Dcore", client.get("/modules?q=core").location(), "back to the page after sign-in");
            for (String path : paths("POST", false)) {
                if (path.equals("/signin")) {
                    continue;
                }
                var answer = client.postExactly(path, Map.of("csrf", "whatever"));
                assertEquals(401, answer.status(), path);
            }
            for (String[] route : routes()) {
                if (route[1].startsWith("/api/")) {
                    var answer = client.api(route[0], concrete(route[1]), route[0].equals("GET") ? null : "{}", null);
                    assertEquals(401, answer.status(), route[0] + " " + route[1]);
                    assertTrue(answer.body().contains("\"error\":\"unauthorized\""), answer.body());
                    assertEquals("Bearer realm=\"modprep\"", answer.header("WWW-Authenticate"));
                }
            }
            assertEquals(before, server.state(), "nothing changed");
        }
    }

    @Test
    void signed_out_a_missing_file_answers_a_bare_404_that_reveals_nothing_L1() {
        try (var server = serverWithRun()) {
            var stranger = ConsoleClient.of(server);
            for (String path : List.of("/static/x", "/static/css/nope.css", "/webjars/nope", "/webjars/bootstrap/0/x.js", "/static/")) {
                var answer = stranger.get(path);
                assertEquals(404, answer.status(), path);
                for (String secret : List.of("11.16.1", "11.17.0", "banner", "sidebar", "#1", "modules", "failed", "blocked", "signout")) {
                    assertFalse(answer.body().contains(secret), path + " reveals '" + secret + "': " + answer.body());
                }
                assertTrue(answer.body().contains("Not found"), path + ": " + answer.body());
                assertEquals(null, answer.header("Set-Cookie"), path + ": and starts no session");
            }
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, PASSWORD);
            var signedIn = admin.get("/modules/Ghost");
            assertEquals(404, signedIn.status());
            assertTrue(signedIn.body().contains("11.17.0"), "signed in, a missing page has its layout, banner included");
        }
    }

    @Test
    void a_viewer_sees_every_page_and_every_api_but_each_change_is_refused_with_403_changing_nothing() throws IOException {
        try (var server = serverWithRun()) {
            var viewer = ConsoleClient.of(server).signedIn(ConsoleServer.VIEWER, PASSWORD);
            String basic = ConsoleClient.basic(ConsoleServer.VIEWER, PASSWORD);
            for (String path : paths("GET", false)) {
                if (!path.equals("/signin")) {
                    // /metrics takes a metrics token, never a session (MonitoringTest); where webhooks send events is
                    // the administrators' business only (I6).
                    assertEquals(path.equals("/metrics") ? 401 : ADMINISTRATORS_ONLY.contains(path) ? 403 : 200, viewer.get(path).status(), path);
                }
            }
            for (String path : paths("GET", true)) {
                var answer = viewer.api("GET", path, null, basic);
                assertEquals(200, answer.status(), path + ": " + answer.body());
            }
            var before = server.state();
            var refused = new ArrayList<String>();
            for (String path : paths("POST", false)) {
                if (path.equals("/signin") || path.equals("/signout")) {
                    continue;
                }
                viewer.get("/"); // a fresh token: the refusal must be the role's, not the CSRF check's
                var answer = path.endsWith("/upload")
                        ? viewer.upload(path, Map.of("name", "Lone"), "Lone.zip", new byte[] {1, 2, 3})
                        : viewer.post(path, Map.of("toVersion", "11.18.0", "config.color", "red", "user", "viewer", "name", "t"));
                assertEquals(403, answer.status(), path);
                assertTrue(ConsoleClient.errorMessage(answer.body()).contains("You are signed in as viewer, a viewer: viewers see "
                        + "everything and change nothing"), answer.body());
                refused.add("POST " + path);
            }
            for (String[] route : routes()) {
                if (route[1].startsWith("/api/") && !route[0].equals("GET")) {
                    String path = concrete(route[1]);
                    var answer = viewer.api(route[0], path, path.endsWith("configurations") ? "{\"color\":\"red\"}"
                            : path.endsWith("upgrade") ? "{\"toVersion\":\"11.18.0\"}" : null, basic);
                    assertEquals(403, answer.status(), route[0] + " " + path);
                    assertTrue(answer.body().contains("\"error\":\"forbidden\"") && answer.body().contains("viewer is a viewer"), answer.body());
                    refused.add(route[0] + " " + path);
                }
            }
            assertEquals(before, server.state(), "a viewer changed nothing");
            assertEquals(refused, audit(server.app, ConsoleServer.VIEWER, "role-check", "refused"), "each refusal is in the audit");

            var signOut = viewer.post("/signout", Map.of());
            assertEquals("/signin", signOut.location(), "a viewer may sign out");
        }
    }

    /** Every page a viewer can open offers no POST form but signing out and the banner's, which a viewer's page hides; returns how many. */
    private static int offersAViewerNoChange(ConsoleClient viewer) throws IOException {
        var postForm = java.util.regex.Pattern.compile("<form[^>]*method=\"post\"[^>]*>", java.util.regex.Pattern.CASE_INSENSITIVE);
        int pages = 0;
        for (String path : paths("GET", false)) {
            var page = viewer.get(path);
            if (page.status() != 200 || !page.body().contains("<body")) {
                continue; // the sign-in page, /health, /metrics, downloads, pages a viewer may not see
            }
            pages++;
            assertTrue(page.body().contains("data-role=\"viewer\""), path);
            var forms = postForm.matcher(page.body());
            while (forms.find()) {
                // The banner is one for every session: its forms are hidden on a viewer's page (modprep.css).
                assertTrue(forms.group().contains("action=\"/signout\"") || forms.group().contains("admin-only"),
                        path + " offers a viewer " + forms.group());
            }
        }
        return pages;
    }

    @Test
    void while_a_run_is_in_progress_a_viewer_is_offered_no_prioritising_and_an_administrator_is() throws IOException {
        try (var server = server()) {
            server.app.preparations().upgrade("11.17.0", "setup"); // no worker: it stays in progress
            var viewer = ConsoleClient.of(server).signedIn(ConsoleServer.VIEWER, PASSWORD);
            assertTrue(offersAViewerNoChange(viewer) > 10);
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, PASSWORD);
            assertTrue(admin.get("/modules/Lone").body().contains("id=\"prioritise-button\""), "the administrator may prioritise");
            assertTrue(admin.get("/applications/Other").body().contains("/applications/Other/prioritise"));
        }
    }

    @Test
    void a_viewer_is_offered_no_change_the_server_would_refuse_and_an_administrator_is() throws IOException {
        try (var server = serverWithRun()) {
            var viewer = ConsoleClient.of(server).signedIn(ConsoleServer.VIEWER, PASSWORD);
            assertTrue(offersAViewerNoChange(viewer) > 10, "the console's pages");
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, PASSWORD);
            String module = admin.get("/modules/Lone").body();
            assertTrue(module.contains("data-role=\"administrator\"") && module.contains("id=\"publish-button\"")
                    && module.contains("Upload new version"), module);
            assertTrue(admin.get("/upgrades").body().contains("id=\"publish-all\""));
            String upgrades = viewer.get("/upgrades").body();
            assertTrue(upgrades.contains("id=\"upgrade-by-administrator\"") && upgrades.contains("11.18.0")
                    && upgrades.contains("An administrator starts an upgrade."), "a viewer is told what an administrator could upgrade to: " + upgrades);
            String viewed = viewer.get("/modules/Lone").body();
            assertTrue(viewed.contains("id=\"configurations\"") && !viewed.contains("configurations-form"), "a viewer reads the configuration: " + viewed);
        }
    }

    @Test
    void a_viewer_s_head_request_is_a_read_on_the_api_and_on_pages_Info() {
        try (var server = server()) {
            var viewer = ConsoleClient.of(server).signedIn(ConsoleServer.VIEWER, PASSWORD);
            String basic = ConsoleClient.basic(ConsoleServer.VIEWER, PASSWORD);
            for (String path : List.of("/api/status", "/api/modules", "/api/modules/Lone")) {
                var head = viewer.api("HEAD", path, null, basic);
                assertEquals(200, head.status(), "HEAD " + path);
                assertEquals("", head.body(), "HEAD " + path + " has no body");
            }
            var page = viewer.send("HEAD", "/modules");
            assertEquals(200, page.status(), "HEAD /modules");
            assertEquals(List.of(), audit(server.app, ConsoleServer.VIEWER, "role-check", "refused"), "no refusal recorded");
            assertEquals(List.of(), audit(server.app, ConsoleServer.VIEWER, "csrf-check", "refused"), "no refusal recorded");
        }
    }

    @Test
    void a_forged_cross_site_post_without_or_with_a_wrong_csrf_token_is_refused_with_403_changing_nothing() throws IOException {
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, PASSWORD);
            var other = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, PASSWORD);
            var before = server.state();
            int forged = 0;
            for (String path : paths("POST", false)) {
                if (path.equals("/signin")) {
                    continue;
                }
                var fields = Map.of("toVersion", "11.17.0", "config.color", "red", "user", "admin", "name", "t");
                var noToken = admin.postExactly(path, fields);
                var withToken = new LinkedHashMap<String, String>(fields);
                withToken.put("csrf", "forged-" + admin.csrf);
                var wrongToken = admin.postExactly(path, withToken);
                withToken.put("csrf", other.csrf); // a real token, of another session
                var othersToken = admin.postExactly(path, withToken);
                for (var answer : List.of(noToken, wrongToken, othersToken)) {
                    assertEquals(403, answer.status(), path);
                    assertTrue(ConsoleClient.errorMessage(answer.body()).contains("its CSRF token is missing or wrong"), answer.body());
                }
                forged += 3;
            }
            var upload = admin.upload("/modules/Lone/upload", Map.of("csrf", "nope"), "Lone.zip", new byte[] {1});
            assertEquals(403, upload.status(), "a multipart form is checked too");
            forged++;
            assertEquals(before, server.state(), "nothing changed");
            assertEquals(forged, audit(server.app, ConsoleServer.ADMIN, "csrf-check", "refused").size(), "each forged post is in the audit");
            assertEquals(200, admin.get("/").status(), "the session itself is still signed in");

            var signInForm = ConsoleClient.of(server);
            signInForm.get("/signin");
            var forgedSignIn = signInForm.postExactly("/signin", Map.of("name", "admin", "password", PASSWORD));
            assertEquals(403, forgedSignIn.status(), "a sign-in form not from this console is refused too");
            assertEquals(302, signInForm.get("/").status(), "and it did not sign in");
        }
    }

    @Test
    void the_session_cookie_is_http_only_and_same_site_strict_and_a_new_session_id_is_given_at_sign_in() {
        try (var server = server()) {
            var client = ConsoleClient.of(server);
            // A session id chosen before sign-in (planted by someone else, say) is never the one signed in.
            var planted = new java.net.HttpCookie("modprep_session", "planted-session-id");
            planted.setPath("/");
            planted.setVersion(0);
            client.cookies.getCookieStore().add(client.uri("/"), planted);
            var form = client.get("/signin");
            assertEquals(null, sessionCookie(form), "the sign-in form starts no session");
            var signedIn = client.post("/signin", Map.of("name", ConsoleServer.ADMIN, "password", PASSWORD, "next", "/modules"));
            assertEquals(302, signedIn.status());
            assertEquals("/modules", signedIn.location(), "back where the user was going");
            String after = sessionCookie(signedIn);
            assertNotNull(after, "sign-in sets a new session cookie");
            assertTrue(after.contains("HttpOnly") && after.contains("SameSite=Strict"), after);
            assertNotEquals("planted-session-id", sessionId(after), "the session id is the server's own");
            assertEquals(200, client.get("/modules").status());

            var stale = new ConsoleClient(server.url(""));
            stale.cookies.getCookieStore().add(stale.uri("/"), planted);
            assertEquals(302, stale.get("/modules").status(), "the planted session id is worth nothing");

            // Browsers drop tabs and newlines from a URL and read a backslash as a slash: "/\t/evil.example" is "//evil.example".
            for (String offsite : List.of("//evil.example/x", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
                    " //evil.example", "https://evil.example", "/ /evil.example", "javascript:alert(1)")) {
                var elsewhere = ConsoleClient.of(server);
                elsewhere.get("/signin");
                var answer = elsewhere.post("/signin", Map.of("name", ConsoleServer.ADMIN, "password", PASSWORD, "next", offsite));
                assertEquals(302, answer.status());
                assertEquals("/", answer.location(), "sign-in never redirects to another site: " + offsite.replace("\t", "\\t").replace("\n", "\\n"));
            }
            var inside = ConsoleClient.of(server);
            inside.get("/signin");
            assertEquals("/modules?q=a%20b&status=failed", inside.post("/signin", Map.of("name", ConsoleServer.ADMIN, "password", PASSWORD,
                    "next", "/modules?q=a%20b&status=failed")).location(), "a page of the console with its query is fine");
        }
    }

    /** The Set-Cookie header of the answer that sets the session cookie, or null. */
    private static String sessionCookie(ConsoleClient.Response answer) {
        return answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("modprep_session=")).findFirst().orElse(null);
    }

    @Test
    void signed_out_visitors_create_no_server_session_only_a_successful_sign_in_does_L4() {
        try (var server = server()) {
            for (int i = 0; i < 200; i++) {
                var stranger = ConsoleClient.of(server);
                var form = stranger.get("/signin?next=/modules");
                assertEquals(200, form.status());
                assertEquals(null, sessionCookie(form), "GET /signin starts no session");
                String signInCookie = form.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("modprep_signin="))
                        .findFirst().orElseThrow(() -> new AssertionError("the form's token travels in a cookie too"));
                assertTrue(signInCookie.contains("HttpOnly") && signInCookie.contains("SameSite=Strict")
                        && signInCookie.contains("Path=/signin"), signInCookie);
                if (i % 50 == 0) {
                    assertEquals(null, sessionCookie(stranger.get("/modules")), "nor does a page that asks to sign in");
                    assertEquals(null, sessionCookie(stranger.post("/signin", Map.of("name", "admin", "password", "not it at all"))),
                            "nor a refused sign-in");
                }
            }
            assertEquals(0, server.sessions(), "no session is kept on the server");
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, PASSWORD);
            assertEquals(1, server.sessions(), "a successful sign-in keeps one");
            assertEquals(200, admin.get("/modules").status());

            // The form's token must come back both in the form and in its cookie, the same, and be the console's own.
            var forms = ConsoleClient.of(server);
            forms.get("/signin");
            String token = forms.csrf;
            var other = ConsoleClient.of(server);
            other.get("/signin");
            var mixed = other.post("/signin", Map.of("csrf", token, "name", "admin", "password", PASSWORD));
            assertEquals(403, mixed.status(), "a token from another form's cookie");
            var made = ConsoleClient.of(server);
            var cookie = new java.net.HttpCookie("modprep_signin", "made-up.1999999999.made-up");
            cookie.setPath("/signin");
            cookie.setVersion(0);
            made.cookies.getCookieStore().add(made.uri("/signin"), cookie);
            assertEquals(403, made.post("/signin", Map.of("csrf", "made-up.1999999999.made-up", "name", "admin", "password", PASSWORD)).status(),
                    "a pair made up by someone else (the same in the cookie and the form) is not the console's");
            assertEquals(1, server.sessions(), "none of them signed in");
        }
    }

    private static String sessionId(String setCookie) {
        return setCookie.substring("modprep_session=".length(), setCookie.indexOf(';'));
    }

    @Test
    void sign_out_ends_the_session() {
        try (var server = server()) {
            var client = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, PASSWORD);
            var sessionCookie = client.cookies.getCookieStore().getCookies().get(0);
            var signOut = client.post("/signout", Map.of());
            assertEquals(302, signOut.status());
            assertEquals("/signin", signOut.location());
            assertEquals(302, client.get("/").status(), "signed out");
            var replay = new ConsoleClient(server.url(""));
            replay.cookies.getCookieStore().add(replay.uri("/"), sessionCookie);
            assertEquals(302, replay.get("/").status(), "the old session cookie no longer signs anyone in");
            assertEquals(List.of("admin"), audit(server.app, "admin", "sign-out", "succeeded"));
        }
    }

    @Test
    void repeated_failed_sign_ins_are_slowed_down_for_the_account_from_that_address_over_the_form_and_http_basic() {
        // The throttle's own rules (per account from an address, per address, under parallel attempts): SignInThrottleTest.
        // The clock stands still: a wait after the fifth failure (1 s, then 2 s …) cannot run out while a
        // slow machine verifies the next password, which would let an attempt through that must be refused.
        try (var server = server(Clock.fixed(Instant.now(), ZoneOffset.UTC))) {
            var accounts = server.app.accounts();
            var client = ConsoleClient.of(server);
            String page = failUntilThrottled(() -> {
                var answer = client.signIn("admin", "wrong password!");
                assertEquals(401, answer.status());
                if (answer.body().contains("Too many failed sign-ins")) {
                    throw new modprep.access.UserAccounts.SignInRefused(ConsoleClient.unescape(answer.body()));
                }
                throw new modprep.access.UserAccounts.SignInRefused("Unknown user or wrong password.");
            });
            assertTrue(page.contains("Too many failed sign-ins for this account from this address"), page);
            var right = client.signIn("admin", PASSWORD);
            assertEquals(401, right.status(), "the right password waits too");
            assertTrue(right.body().contains("Too many failed sign-ins"), right.body());
            var api = client.api("GET", "/api/status", null, ConsoleClient.basic("admin", PASSWORD));
            assertEquals(401, api.status(), "HTTP Basic is slowed down the same way");
            assertEquals(200, client.api("GET", "/api/status", null,
                    ConsoleClient.bearer(server.app.tokens().create("admin", "ci", "test", modprep.access.ApiTokens.DEFAULT_LIFETIME))).status(), "a token still works");
            accounts.signIn("admin", PASSWORD, "10.0.0.2"); // from elsewhere, the account is not held back
        }
    }

    /** Fails sign-ins until one is refused for being too many (each later wait is longer); returns that refusal. */
    private static String failUntilThrottled(Runnable attempt) {
        for (int i = 0; i < 12; i++) {
            String message = assertRefused(attempt::run);
            if (message.contains("Too many failed sign-ins")) {
                assertTrue(i >= 5, "the first five failures are free: throttled after " + i);
                return message;
            }
            assertTrue(message.contains("Unknown user or wrong password."), message);
        }
        throw new AssertionError("never slowed down");
    }

    private static String assertRefused(Runnable attempt) {
        try {
            attempt.run();
        } catch (modprep.access.UserAccounts.SignInRefused e) {
            return e.getMessage();
        }
        throw new AssertionError("the sign-in was not refused");
    }

    @Test
    void the_api_takes_http_basic_or_a_token_and_answers_401_without_them() {
        try (var server = server()) {
            var client = ConsoleClient.of(server);
            assertEquals(401, client.api("GET", "/api/status", null, null).status());
            assertEquals(401, client.api("GET", "/api/status", null, ConsoleClient.basic("admin", "wrong password!")).status());
            assertEquals(401, client.api("GET", "/api/status", null, "Basic !!not-base64!!").status());
            assertEquals(401, client.api("GET", "/api/status", null, ConsoleClient.bearer("mp_not-a-token")).status());
            assertEquals(401, client.api("GET", "/api/status", null, "Digest whatever").status());
            var noRunYet = client.api("GET", "/api/status", null, ConsoleClient.basic("admin", PASSWORD));
            assertEquals(200, noRunYet.status());
            assertEquals("null", noRunYet.body(), "no run yet: JSON null, as `modprep status --json` prints");

            String viewerToken = server.app.tokens().create("viewer", "dashboard", "admin", modprep.access.ApiTokens.DEFAULT_LIFETIME);
            String adminToken = server.app.tokens().create("admin", "ci", "admin", modprep.access.ApiTokens.DEFAULT_LIFETIME);
            assertEquals(200, client.api("GET", "/api/modules/Lone", null, ConsoleClient.bearer(viewerToken)).status());
            assertEquals(403, client.api("POST", "/api/prepare", null, ConsoleClient.bearer(viewerToken)).status(), "the token acts as its user");
            var prepare = client.api("POST", "/api/prepare", null, ConsoleClient.bearer(adminToken));
            assertEquals(200, prepare.status(), "an administrator's token may act: " + prepare.body());
            assertTrue(prepare.body().contains("\"runId\":null"), "(nothing to prepare on 11.16.1): " + prepare.body());

            var signedIn = ConsoleClient.of(server).signedIn("admin", PASSWORD);
            assertEquals(401, signedIn.get("/api/status").status(), "the API does not take the console's session cookie");

            var refusals = server.app.database().dsl().select(AUDIT_EVENT.ACTOR, AUDIT_EVENT.TARGET, AUDIT_EVENT.DETAIL).from(AUDIT_EVENT)
                    .where(AUDIT_EVENT.ACTION.eq("sign-in"), AUDIT_EVENT.OUTCOME.eq("refused")).orderBy(AUDIT_EVENT.ID)
                    .fetch(r -> r.value1() + " | " + r.value2() + " | " + r.value3());
            assertEquals(List.of("admin | admin | HTTP Basic, on GET /api/status: Unknown user or wrong password.",
                    "(unknown) | API token | unknown, expired or revoked API token, on GET /api/status"), refusals, "refused API sign-ins are in the audit");
        }
    }

    @Test
    void every_answer_carries_the_security_headers_and_pages_have_no_inline_script() {
        try (var server = server()) {
            var client = ConsoleClient.of(server);
            var signIn = client.get("/signin");
            client.signedIn("admin", PASSWORD);
            var answers = new LinkedHashMap<String, ConsoleClient.Response>();
            answers.put("sign-in page", signIn);
            answers.put("redirect", ConsoleClient.of(server).get("/modules"));
            answers.put("page", client.get("/modules/Lone"));
            answers.put("not found page", client.get("/modules/Ghost"));
            answers.put("api", client.api("GET", "/api/status", null, ConsoleClient.basic("admin", PASSWORD)));
            answers.put("api 401", client.api("GET", "/api/status", null, null));
            answers.put("static file", client.get("/static/css/modprep.css"));
            answers.forEach((what, answer) -> {
                String csp = answer.header("Content-Security-Policy");
                assertNotNull(csp, what);
                String scripts = csp.replaceAll(".*script-src ([^;]*).*", "$1");
                assertEquals("'self'", scripts, what + ": scripts only from the console itself: " + csp);
                assertTrue(csp.contains("frame-ancestors 'none'"), what + ": " + csp);
                assertEquals("nosniff", answer.header("X-Content-Type-Options"), what);
                assertEquals("no-referrer", answer.header("Referrer-Policy"), what);
                assertEquals("DENY", answer.header("X-Frame-Options"), what);
            });
            assertEquals("no-store", answers.get("page").header("Cache-Control"), "pages are not cached");
            for (String html : List.of(signIn.body(), answers.get("page").body(), client.get("/").body())) {
                assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find(), "no inline script: the CSP would block it");
                assertFalse(Pattern.compile("\\son[a-z]+=\"").matcher(html).find(), "no inline event handler");
            }
        }
    }

    @Test
    void every_action_is_in_the_audit_with_how_it_ended_and_the_audit_page_filters_it() throws IOException {
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn("admin", PASSWORD);
            var viewer = ConsoleClient.of(server).signedIn("viewer", PASSWORD);
            ConsoleClient.of(server).signIn("admin", "not the password");
            admin.get("/modules/Lone");
            admin.flashAfter(admin.post("/modules/Lone/configurations", Map.of("config.color", "green")));
            admin.flashAfter(admin.post("/modules/Lone/configurations", Map.of("config.shape", "round")));
            admin.flashAfter(admin.post("/modules/Core/delete", Map.of()));
            admin.flashAfter(admin.post("/modules/Lone/publish", Map.of()));
            admin.flashAfter(admin.upload("/modules/Lone/upload", Map.of(), "Lone.zip", "not a zip".getBytes(StandardCharsets.UTF_8)));
            admin.flashAfter(admin.post("/upgrades/upgrade", Map.of("toVersion", "11.9.0")));
            admin.flashAfter(admin.post("/users/tokens", Map.of("user", "viewer", "name", "dashboard")));
            admin.api("DELETE", "/api/modules/Ghost", null, ConsoleClient.basic("admin", PASSWORD));
            admin.api("POST", "/api/upgrade", "{\"toVersion\":\"11.17.0\"}", ConsoleClient.basic("admin", PASSWORD));
            viewer.post("/upgrades/prepare", Map.of());

            var dsl = server.app.database().dsl();
            var rows = dsl.select(AUDIT_EVENT.ACTOR, AUDIT_EVENT.ACTION, AUDIT_EVENT.TARGET, AUDIT_EVENT.OUTCOME).from(AUDIT_EVENT)
                    .orderBy(AUDIT_EVENT.ID).fetch(r -> r.value1() + " " + r.value2() + " " + r.value3() + " " + r.value4());
            var expected = List.of(
                    "admin sign-in admin succeeded",
                    "viewer sign-in viewer succeeded",
                    "admin sign-in admin refused",
                    "admin apply-configurations Lone succeeded",
                    "admin apply-configurations Lone refused",
                    "admin delete Core refused",
                    "admin publish Lone succeeded",
                    "admin upload Lone refused",
                    "admin upgrade 11.9.0 refused",
                    "admin token-create viewer / dashboard (90 days) succeeded",
                    "admin delete Ghost refused",
                    "admin upgrade 11.17.0 succeeded",
                    "viewer role-check POST /upgrades/prepare refused");
            assertEquals(expected, rows);
            var refusal = dsl.select(AUDIT_EVENT.DETAIL, AUDIT_EVENT.ADDRESS).from(AUDIT_EVENT)
                    .where(AUDIT_EVENT.ACTION.eq("delete"), AUDIT_EVENT.TARGET.eq("Core")).fetchSingle();
            assertTrue(refusal.value1().startsWith("Delete of module Core was refused: Web uses it."), "with why: " + refusal.value1());
            assertEquals("127.0.0.1", refusal.value2(), "and from where");

            String all = admin.get("/audit").body();
            assertTrue(all.contains("13 entries"), "the page counts every entry");
            assertEquals(List.of("viewer", "viewer"), column(admin.get("/audit?actor=viewer").body(), 1));
            assertEquals(List.of("delete", "delete"), column(admin.get("/audit?action=delete").body(), 3));
            assertEquals(java.util.Collections.nCopies(7, "refused"), column(admin.get("/audit?outcome=refused").body(), 5));
            assertEquals(List.of("refused"), column(admin.get("/audit?outcome=refused&action=delete&actor=admin&q=core").body(), 5));
            assertEquals(List.of("Lone", "Lone", "Lone", "Lone"), column(admin.get("/audit?q=lone").body(), 4), "text search, any case");
            var none = admin.get("/audit?actor=" + ConsoleClient.segment("x' OR '1'='1") + "&q=" + ConsoleClient.segment("%' OR 1=1 --"));
            assertEquals(200, none.status());
            assertTrue(none.body().contains("0 entries"), "filters are values, never SQL");
            assertEquals(200, viewer.get("/audit?action=sign-in").status(), "viewers may read the audit");
        }
    }

    /** The cells of one column of the audit table (0: when, 1: who, 2: from, 3: action, 4: on, 5: result). */
    private static List<String> column(String html, int index) {
        String table = html.substring(html.indexOf("<tbody>"), html.indexOf("</tbody>"));
        var cells = new ArrayList<String>();
        for (String row : table.split("<tr>")) {
            var cell = Pattern.compile("<td[^>]*>(?:<span[^>]*>)?(.*?)(?:</span>)?</td>", Pattern.DOTALL).matcher(row);
            int i = 0;
            while (cell.find()) {
                if (i++ == index) {
                    cells.add(ConsoleClient.unescape(cell.group(1)));
                }
            }
        }
        return cells;
    }

    @Test
    void passwords_never_appear_in_the_logs_or_the_audit() {
        var captured = new ByteArrayOutputStream();
        var stderr = System.err;
        var stdout = System.out;
        var tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        System.setOut(tee);
        modprep.logging.Logging.configure(modprep.logging.LogFormat.TEXT, "info", null); // as serve logs: requests included
        String wrong = "Wr0ng-Passw0rd-Guess-42";
        String newPassword = "brand new secret phrase 77";
        try (var server = server()) {
            var client = ConsoleClient.of(server);
            client.signIn("admin", wrong);
            client.api("GET", "/api/status", null, ConsoleClient.basic("admin", wrong));
            client.api("GET", "/api/status", null, ConsoleClient.basic("admin", PASSWORD));
            client.signedIn("admin", PASSWORD);
            server.app.accounts().changePassword("viewer", newPassword);
            ConsoleClient.of(server).signedIn("viewer", newPassword).post("/upgrades/prepare", Map.of());
            String token = server.app.tokens().create("viewer", "ci", "admin", modprep.access.ApiTokens.DEFAULT_LIFETIME);
            client.api("GET", "/api/status", null, ConsoleClient.bearer(token));

            var dsl = server.app.database().dsl();
            String audit = String.join("\n", dsl.selectFrom(AUDIT_EVENT).fetch().map(r -> r.formatCSV(false)));
            String users = String.join("\n", dsl.selectFrom(modprep.db.schema.Tables.APP_USER).fetch().map(r -> r.formatCSV(false)))
                    + String.join("\n", dsl.selectFrom(modprep.db.schema.Tables.API_TOKEN).fetch().map(r -> r.formatCSV(false)));
            for (String secret : List.of(PASSWORD, wrong, newPassword, token)) {
                assertFalse(audit.contains(secret), "a secret in the audit: " + secret);
                assertFalse(users.contains(secret), "a secret stored in clear: " + secret);
            }
            assertTrue(audit.contains("sign-in"), "the audit was read");
        } finally {
            modprep.logging.Logging.configure(modprep.logging.LogFormat.TEXT, "warn", null);
            System.setErr(stderr);
            System.setOut(stdout);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertTrue(logs.contains("Listening on"), "the server's log was captured: " + logs);
        assertTrue(logs.contains("POST /signin 302"), "with its requests: " + logs);
        for (String secret : List.of(PASSWORD, wrong, newPassword)) {
            assertFalse(logs.contains(secret), "a password in the logs: " + secret);
        }
    }
}
