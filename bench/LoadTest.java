import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console under load (issue 4 item 7), run by bench/load.sh: CLIENTS concurrent clients, each signed in
 * with its own session, browse every page of a running console for DURATION seconds, while a preparation
 * run (an upgrade to 11.17.0, started by the first client with the console's form and its CSRF token) goes
 * on in the server; browsing goes on until that run has ended too. Plain JDK: java.net.http, no
 * dependencies.
 *
 * <p>It asserts that no request got an error (every page answers 200; a 5xx, a 4xx or a redirect to the
 * sign-in page is an error) and that the run ended with the same prepared, failed and blocked modules as
 * an unattended run of the same environment (the reference: `modprep status --json` of another data
 * folder, written by bench/load.sh). It prints a Markdown report: throughput and latency overall and per
 * page. Exit code 0 when every check passed, 1 otherwise.
 *
 * <p>Arguments: BASE_URL ENV_DIR USERS_FILE REFERENCE_JSON REPORT_MD [CLIENTS] [DURATION_S] [THINK_MS]; USERS_FILE
 * holds one "name:password" a line, the first one an administrator (it starts the run and reads the API).
 * THINK_MS is "MIN-MAX": each client pauses a random time in that range between two pages, as people do;
 * without it (or "0") each client asks for its next page as soon as it has the previous one (a stress test).
 * The report compares the run's own time (its startedAt to its finishedAt) with the reference run's.
 */
public final class LoadTest {
    private static final Pattern MODULE_STATUS = Pattern.compile(
            "\\{\\s*\"name\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"status\"\\s*:\\s*\"(pending|preparing|prepared|failed|blocked)\"");
    private static final Pattern RUN_FIELDS = Pattern.compile(
            "\"id\"\\s*:\\s*(\\d+)\\s*,\\s*\"fromVersion\".*?\"status\"\\s*:\\s*\"([a-z]+)\"", Pattern.DOTALL);
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"");
    private static final Pattern SESSION_COOKIE = Pattern.compile("modprep_session=([^;]+)");

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final List<String> modules = new ArrayList<>();
    private final List<String> applications = new ArrayList<>();
    private final String apiAuthorization;
    private final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final AtomicLong errorCount = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile long runId = -1;
    /** The pause between two pages of one client, in ms: from thinkMin to thinkMax. */
    private int thinkMin;
    private int thinkMax;

    private LoadTest(String base, Path env, String apiUser) throws IOException {
        this.base = base;
        this.apiAuthorization = "Basic " + Base64.getEncoder().encodeToString(apiUser.getBytes(StandardCharsets.UTF_8));
        var apps = new TreeSet<String>();
        try (var dirs = Files.list(env.resolve("modules"))) {
            for (Path dir : dirs.sorted().toList()) {
                modules.add(dir.getFileName().toString());
                var properties = new Properties();
                try (var in = Files.newBufferedReader(dir.resolve("module.properties"))) {
                    properties.load(in);
                }
                apps.add(properties.getProperty("application"));
            }
        }
        applications.addAll(apps);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: java LoadTest BASE_URL ENV_DIR USERS_FILE REFERENCE_JSON REPORT_MD [CLIENTS] [DURATION_S] [THINK_MS]");
            System.exit(2);
        }
        var users = Files.readAllLines(Path.of(args[2])).stream().filter(l -> l.contains(":")).toList();
        int clients = args.length > 5 ? Integer.parseInt(args[5]) : 50;
        int duration = args.length > 6 ? Integer.parseInt(args[6]) : 60;
        var think = (args.length > 7 ? args[7] : "0").split("-");
        var test = new LoadTest(args[0], Path.of(args[1]), users.get(0));
        test.thinkMin = Integer.parseInt(think[0]);
        test.thinkMax = Integer.parseInt(think[think.length - 1]);
        boolean ok = test.run(users, clients, duration, Files.readString(Path.of(args[3])), Path.of(args[4]));
        System.exit(ok ? 0 : 1);
    }

    /** One signed-in browser: its own session cookie and CSRF token. */
    private final class Session {
        final String user;
        final Random random;
        String cookie;
        String csrf;

        Session(String user, long seed) {
            this.user = user;
            this.random = new Random(seed);
        }

        void signIn(String password) throws IOException, InterruptedException {
            var form = http.send(HttpRequest.newBuilder(uri("/signin")).GET().build(), HttpResponse.BodyHandlers.ofString());
            // The form's cookies, whichever they are (its CSRF token's; a session's on older builds), go back with it.
            String formCookies = String.join("; ", form.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0]).toList());
            String token = find(CSRF_FIELD, form.body(), "the sign-in form's CSRF field");
            var signIn = http.send(HttpRequest.newBuilder(uri("/signin")).header("Cookie", formCookies)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("name=" + enc(user) + "&password=" + enc(password) + "&csrf=" + enc(token)
                            + "&next=%2F")).build(), HttpResponse.BodyHandlers.discarding());
            if (signIn.statusCode() != 302 || !"/".equals(signIn.headers().firstValue("Location").orElse(""))) {
                throw new IllegalStateException(user + " could not sign in: HTTP " + signIn.statusCode());
            }
            cookie = cookieOf(signIn, null);
            var home = http.send(get("/"), HttpResponse.BodyHandlers.ofString());
            if (home.statusCode() != 200) {
                throw new IllegalStateException(user + " signed in but / answered " + home.statusCode());
            }
            csrf = find(CSRF_META, home.body(), "the page's CSRF token");
        }

        HttpRequest get(String path) {
            return HttpRequest.newBuilder(uri(path)).header("Cookie", "modprep_session=" + cookie).timeout(Duration.ofSeconds(30)).GET().build();
        }

        /** One page, timed; anything but 200 is an error. */
        void page(String kind, String path) {
            page(kind, path, get(path));
        }

        /** What static/js/live.js fetches when an event says something changed: the page again, for its live regions. */
        void live(String path) {
            page("live refresh", path, HttpRequest.newBuilder(get(path), (name, value) -> true).header("X-Requested-With", "live").build());
        }

        private void page(String kind, String path, HttpRequest request) {
            long start = System.nanoTime();
            try {
                var response = http.send(request, HttpResponse.BodyHandlers.discarding());
                record(kind, start);
                if (response.statusCode() != 200) {
                    error(kind, path, "HTTP " + response.statusCode()
                            + response.headers().firstValue("Location").map(l -> " to " + l).orElse(""));
                }
            } catch (IOException | InterruptedException e) {
                error(kind, path, e.toString());
            }
        }

        /** The live updates: opens /events, waits for the first progress event, closes the stream. */
        void events() {
            String path = "/events?modules=" + enc(String.join(",", sample(modules, 1 + random.nextInt(50), random)));
            long start = System.nanoTime();
            try {
                // As a browser's EventSource asks: without this Accept header the route answers an empty 200.
                var request = HttpRequest.newBuilder(uri(path)).header("Cookie", "modprep_session=" + cookie)
                        .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).GET().build();
                var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (var in = response.body();
                     var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    if (response.statusCode() != 200) {
                        error("events", path, "HTTP " + response.statusCode());
                        return;
                    }
                    String line;
                    boolean got = false;
                    while ((line = reader.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            got = true;
                            break;
                        }
                    }
                    record("events (first event)", start);
                    if (!got) {
                        error("events", path, "the stream ended without an event");
                    }
                }
            } catch (IOException | InterruptedException e) {
                error("events", path, e.toString());
            }
        }

        /** Starts the upgrade with the Upgrades tab's form, as an administrator does. */
        void startUpgrade() throws IOException, InterruptedException {
            var response = http.send(HttpRequest.newBuilder(uri("/upgrades/upgrade")).header("Cookie", "modprep_session=" + cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("toVersion=11.17.0&csrf=" + enc(csrf))).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 302) {
                throw new IllegalStateException("the upgrade form answered HTTP " + response.statusCode());
            }
        }

        /** Pages as people use them: each kind about as often, the live stream now and then. */
        void browseOnce() {
            int pick = random.nextInt(100);
            var r = random;
            String module = modules.get(r.nextInt(modules.size()));
            String application = applications.get(r.nextInt(applications.size()));
            String[] filters = {"running", "prepared", "in-progress", "failed", "blocked", "not-prepared", "uploaded"};
            long run = runId;
            if (pick < 8) {
                page("overview", "/");
            } else if (pick < 14) {
                page("modules", "/modules");
            } else if (pick < 22) {
                String q = application.substring(0, Math.min(application.length(), 3 + r.nextInt(4))).toLowerCase(Locale.ROOT);
                page("modules, search and filter", "/modules?q=" + enc(q) + (r.nextBoolean() ? "&status=" + filters[r.nextInt(filters.length)] : ""));
            } else if (pick < 27) {
                page("modules, a page", "/modules?page=" + (1 + r.nextInt(Math.max(1, modules.size() / 50))));
            } else if (pick < 37) {
                page("module", "/modules/" + module);
            } else if (pick < 42) {
                page("applications", "/applications" + switch (r.nextInt(3)) {
                    case 0 -> "";
                    case 1 -> "?ready=" + (r.nextBoolean() ? "yes" : "no");
                    default -> "?page=" + (1 + r.nextInt(Math.max(1, applications.size() / 50)));
                });
            } else if (pick < 47) {
                page("application", "/applications/" + application);
            } else if (pick < 54) {
                page("upgrades", "/upgrades");
            } else if (pick < 62) {
                if (run > 0) {
                    page("run", "/preparations/" + run + (r.nextBoolean() ? "" : "?page=" + (1 + r.nextInt(5))));
                } else {
                    page("upgrades", "/upgrades");
                }
            } else if (pick < 70) {
                page("current details", "/preparations/current");
            } else if (pick < 78) {
                live(switch (r.nextInt(4)) {
                    case 0 -> "/";
                    case 1 -> "/upgrades";
                    case 2 -> "/preparations/current";
                    default -> run > 0 ? "/preparations/" + run : "/upgrades";
                });
            } else if (pick < 85) {
                page("audit", "/audit" + switch (r.nextInt(4)) {
                    case 0 -> "";
                    case 1 -> "?action=sign-in";
                    case 2 -> "?actor=" + enc(user);
                    default -> "?q=" + enc(module.substring(0, Math.min(4, module.length())));
                });
            } else if (pick < 88) {
                page("users", "/users");
            } else if (pick < 92) {
                page("latest run report", run > 0 ? "/PrepareModules" : "/upgrades");
            } else {
                events();
            }
        }
    }

    private boolean run(List<String> users, int clients, int duration, String referenceJson, Path reportFile) throws Exception {
        // 1. Every client signs in with its own session (users taken in turn).
        var sessions = new ArrayList<Session>();
        long signInStart = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            String[] user = users.get(i % users.size()).split(":", 2);
            var session = new Session(user[0], 7919L * i);
            session.signIn(user[1]);
            sessions.add(session);
        }
        double signInSeconds = (System.nanoTime() - signInStart) / 1e9;
        System.out.printf("%d clients signed in (%d users) in %.1f s%n", clients, Math.min(clients, users.size()), signInSeconds);

        // 2. Everyone browses; two seconds in, the first client (an administrator) starts the upgrade.
        var done = new CountDownLatch(clients);
        long start = System.nanoTime();
        for (var session : sessions) {
            var thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        session.browseOnce();
                        if (thinkMax > 0) {
                            Thread.sleep(thinkMin + session.random.nextInt(thinkMax - thinkMin + 1));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "client-" + session.user);
            thread.setDaemon(true);
            thread.start();
        }
        Thread.sleep(2_000);
        sessions.get(0).startUpgrade();
        long upgradeAt = System.nanoTime();
        runId = runStatus()[0];
        System.out.printf("run #%d started by %s through the Upgrades form%n", runId, sessions.get(0).user);

        // 3. Browse for the duration, and on until the run has ended (at most 15 minutes more).
        long until = start + duration * 1_000_000_000L;
        long limit = until + 15 * 60 * 1_000_000_000L;
        long runEndedAt = 0;
        while (true) {
            Thread.sleep(500);
            long now = System.nanoTime();
            if (runEndedAt == 0 && runStatus()[1] != 1) {
                runEndedAt = now;
                System.out.printf("run #%d ended %.1f s after it started%n", runId, (now - upgradeAt) / 1e9);
            }
            if (now >= until && (runEndedAt != 0 || now >= limit)) {
                break;
            }
        }
        stop.set(true);
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;

        // 4. The run's outcome against the reference run.
        String status = apiGet("/api/status");
        var actual = statuses(status);
        var expected = statuses(referenceJson);
        var checks = new ArrayList<String>();
        boolean ok = true;
        if (runEndedAt == 0) {
            checks.add("FAILED: run #" + runId + " had not ended after " + Math.round(seconds) + " s");
            ok = false;
        }
        for (String s : List.of("prepared", "failed", "blocked", "pending", "preparing")) {
            var a = actual.getOrDefault(s, new TreeSet<>());
            var e = expected.getOrDefault(s, new TreeSet<>());
            if (a.equals(e)) {
                if (!a.isEmpty()) {
                    checks.add("same " + s + " modules as the unattended run: " + a.size());
                }
            } else {
                ok = false;
                var missing = new TreeSet<>(e);
                missing.removeAll(a);
                var extra = new TreeSet<>(a);
                extra.removeAll(e);
                checks.add("FAILED: " + s + " modules differ from the unattended run: " + a.size() + " against " + e.size()
                        + "; only in the reference: " + first(missing) + "; only here: " + first(extra));
            }
        }
        if (errorCount.get() == 0) {
            checks.add("no error response (every page answered 200)");
        } else {
            ok = false;
            checks.add("FAILED: " + errorCount.get() + " error responses, the first ones: " + String.join("; ", first(errors)));
        }

        // 5. The report.
        var all = new ArrayList<Long>();
        latencies.values().forEach(all::addAll);
        var report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "%d clients (%d users, one session each), %.0f s of browsing (%d s, then on until run #%d ended"
                        + " %.0f s after it started), %s; %d requests, %.0f requests/s, %d errors.%n%n",
                clients, Math.min(clients, users.size()), seconds, duration, runId, runEndedAt == 0 ? Double.NaN : (runEndedAt - upgradeAt) / 1e9,
                thinkMax > 0 ? "pausing " + thinkMin + "-" + thinkMax + " ms between pages" : "no think time",
                all.size(), all.size() / seconds, errorCount.get()));
        double loaded = runSeconds(status);
        double alone = runSeconds(referenceJson);
        report.append(String.format(Locale.ROOT, "The run under load: **%.1f s** (its startedAt to its finishedAt), against %.1f s for the"
                + " unattended run of the same environment: **%.2f×**.%n%n", loaded, alone, loaded / alone));
        report.append("| page | requests | requests/s | p50 ms | p95 ms | p99 ms | max ms |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        report.append(row("**all**", all, seconds));
        new TreeMap<>(latencies).forEach((kind, values) -> report.append(row(kind, new ArrayList<>(values), seconds)));
        report.append("\nChecks: ").append(String.join("; ", checks)).append(".\n");
        Files.writeString(reportFile, report.toString());
        System.out.println();
        System.out.print(report);
        System.out.println(ok ? "\nLOAD TEST PASSED" : "\nLOAD TEST FAILED");
        return ok;
    }

    private static String row(String kind, List<Long> nanos, double seconds) {
        Collections.sort(nanos);
        return String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n", kind, nanos.size(), nanos.size() / seconds,
                percentile(nanos, 50), percentile(nanos, 95), percentile(nanos, 99), nanos.isEmpty() ? 0 : nanos.get(nanos.size() - 1) / 1e6);
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }

    private static final Pattern RUN_TIMES = Pattern.compile(
            "\"startedAt\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"finishedAt\"\\s*:\\s*\"([^\"]+)\"");

    /** A run's own time in seconds, from the first startedAt and finishedAt of its JSON (the run's, before its groups'). */
    static double runSeconds(String runJson) {
        Matcher m = RUN_TIMES.matcher(runJson);
        if (!m.find()) {
            return Double.NaN;
        }
        return Duration.between(java.time.Instant.parse(m.group(1)), java.time.Instant.parse(m.group(2))).toMillis() / 1e3;
    }

    /** The latest run's id, and 1 while it is running, 0 once it ended. */
    private long[] runStatus() throws IOException, InterruptedException {
        String json = apiGet("/api/preparations");
        Matcher m = RUN_FIELDS.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no run in /api/preparations: " + json.substring(0, Math.min(200, json.length())));
        }
        return new long[] {Long.parseLong(m.group(1)), m.group(2).equals("running") ? 1 : 0};
    }

    private String apiGet(String path) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", apiAuthorization).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The modules of a run's JSON (the API's, or `modprep status --json`), by status. */
    static Map<String, TreeSet<String>> statuses(String runJson) {
        var byStatus = new HashMap<String, TreeSet<String>>();
        Matcher m = MODULE_STATUS.matcher(runJson);
        while (m.find()) {
            byStatus.computeIfAbsent(m.group(2), k -> new TreeSet<>()).add(m.group(1));
        }
        return byStatus;
    }

    private void record(String kind, long start) {
        latencies.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime() - start);
    }

    private void error(String kind, String path, String what) {
        if (stop.get() && what.contains("Interrupted")) {
            return;
        }
        errorCount.incrementAndGet();
        if (errors.size() < 20) {
            errors.add(kind + " " + path + ": " + what);
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private static String cookieOf(HttpResponse<?> response, String previous) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            Matcher m = SESSION_COOKIE.matcher(header);
            if (m.find()) {
                return m.group(1);
            }
        }
        if (previous == null) {
            throw new IllegalStateException("no session cookie from " + response.uri());
        }
        return previous;
    }

    private static String find(Pattern pattern, String text, String what) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + what + " found");
        }
        return m.group(1);
    }

    private static List<String> sample(List<String> from, int n, Random random) {
        var picked = new ArrayList<String>(n);
        for (int i = 0; i < n; i++) {
            picked.add(from.get(random.nextInt(from.size())));
        }
        return picked;
    }

    private static <T> String first(java.util.Collection<T> items) {
        var list = new ArrayList<String>();
        for (T item : items) {
            if (list.size() == 5) {
                list.add("…");
                break;
            }
            list.add(String.valueOf(item));
        }
        return list.isEmpty() ? "none" : String.join(", ", list);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
