package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import modprep.testing.TestEnvironment;
import modprep.testing.TestEnvironment.ModuleDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, item 5 through the console and the API: hostile uploads, names, form values and JSON bodies
 * each get a clear answer naming what was wrong, and the database (stored blobs included) is exactly as
 * before; HTML-like text that is legitimately there renders as text.
 */
class HostileInputTest {
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String SQL = "x'; DROP TABLE module;--";
    /** A source file name javac will name in its diagnostics: HTML that would run if it were not escaped. */
    private static final String IMG_FILE = "<img src=x onerror=alert(1)>.java";

    @TempDir
    Path dir;

    /**
     * Core; Web (application "My Shop", with a space); Evil, whose application name is HTML and whose
     * configuration values look like HTML and SQL, with a source file that fails on 11.17.0; Lone.
     */
    private ConsoleServer server() {
        var env = new TestEnvironment("11.16.1")
                .add(new ModuleDef("Core", "Platform", true, List.of(), false, Map.of()))
                .add(new ModuleDef("Web", "My Shop", true, List.of("Core"), false, Map.of()))
                .add(new ModuleDef("Evil", SCRIPT, true, List.of("Core"), false, Map.of("title", "<b>x</b>", "sql", SQL)))
                .add(new ModuleDef("Lone", "Other", true, List.of(), false, Map.of("color", "blue")));
        Path folder = env.write(dir.resolve("env"));
        write(folder.resolve("modules/Evil/src/m/evil/" + IMG_FILE),
                "package m.evil;\n\nclass Hidden {\n    long v = platform.system.Users.findByName(\"x\");\n}\n");
        return new ConsoleServer(env, folder);
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String LONE_PROPERTIES = "application=Other\nstate=published\nreferences=\n";
    private static final String LONE_SOURCE = "package m.lone;\n\npublic final class Api {\n    public static long value() {\n"
            + "        return platform.system.Users.currentUserId();\n    }\n}\n";

    /** A zip of the given entries (name to content), each deflated. */
    static byte[] zip(Map<String, byte[]> entries) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Lone's folder, with one entry added or replaced (a null content removes it). */
    private static byte[] lone(String name, byte[] content) {
        var entries = new LinkedHashMap<String, byte[]>();
        entries.put("module.properties", utf8(LONE_PROPERTIES));
        entries.put("src/m/lone/Api.java", utf8(LONE_SOURCE));
        if (content == null) {
            entries.remove(name);
        } else {
            entries.put(name, content);
        }
        return zip(entries);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A zip with one stored (not deflated) entry: the upload itself is as large as its content. */
    private static byte[] storedZip(String name, byte[] content) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ZipOutputStream(bytes)) {
            var entry = new ZipEntry(name);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(content.length);
            var crc = new CRC32();
            crc.update(content);
            entry.setCrc(crc.getValue());
            out.putNextEntry(entry);
            out.write(content);
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String readIfThere(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> uploadFolders() {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("modprep-upload")).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void hostile_zip_uploads_are_refused_with_a_message_naming_the_problem_and_nothing_is_stored_or_written_elsewhere() {
        // Where a zip-slip entry would land if it were followed: inside this test's folder, so that it can be looked for.
        Path escaped = dir.resolve("escaped").resolve("passwd");
        String slip = "../".repeat(30) + dir.toAbsolutePath().toString().substring(1) + "/escaped/passwd";
        var cases = new LinkedHashMap<String, byte[]>();
        cases.put("unsafe path '../../etc/passwd'", lone("../../etc/passwd", utf8("root:x:0:0")));
        cases.put("unsafe path '" + slip.substring(0, 60), lone(slip, utf8("pwned")));
        cases.put("unsafe path '/etc/passwd'", lone("/etc/passwd", utf8("root:x:0:0")));
        cases.put("unsafe path 'src/../../../x.java'", lone("src/../../../x.java", utf8("class X {}")));
        cases.put("is larger than 20 MiB once extracted", lone("src/m/lone/Bomb.java", utf8(" ".repeat(21 * 1024 * 1024))));
        var many = new LinkedHashMap<String, byte[]>();
        for (int i = 0; i <= 5_000; i++) {
            many.put("src/m/lone/F" + i + ".java", new byte[0]);
        }
        cases.put("has more than 5000 entries", zip(many));
        cases.put("unsafe path '.'", lone(".", utf8("x")));
        cases.put("unsafe path 'src/..'", lone("src/..", utf8("x")));
        cases.put("unsafe path 'src/./m/lone/B.java'", lone("src/./m/lone/B.java", utf8("class B {}")));
        cases.put("unsafe path 'src//m/lone/B.java'", lone("src//m/lone/B.java", utf8("class B {}")));
        var fileThenFolder = new LinkedHashMap<String, byte[]>();
        fileThenFolder.put("module.properties", utf8(LONE_PROPERTIES));
        fileThenFolder.put("src", utf8("a file"));
        fileThenFolder.put("src/x/A.java", utf8("package x;\nclass A {}\n"));
        cases.put("holds 'src/x/A.java', but 'src' is a file in it", zip(fileThenFolder));
        cases.put("holds 'src/m/lone' as a file, but it is a folder in it", lone("src/m/lone", utf8("a file")));
        var text = new StringBuilder("package m.lone;\n\nclass Extra {}\n//");
        new Random(14).ints(20_000, 'a', 'z' + 1).forEach(c -> text.append((char) c));
        byte[] whole = lone("src/m/lone/Extra.java", utf8(text.toString())); // its deflated data: most of the zip
        cases.put("is not a valid zip archive: it ends in the middle of an entry", java.util.Arrays.copyOf(whole, whole.length / 2));
        cases.put("is empty or not a zip archive", utf8("PK, or so it says"));
        cases.put("is empty or not a zip archive ", zip(Map.of()));
        cases.put("Lone/src/m/lone/Latin.java is not UTF-8 text",
                lone("src/m/lone/Latin.java", "package m.lone; // caf\u00e9\nclass Latin {}\n".getBytes(StandardCharsets.ISO_8859_1)));
        cases.put("Lone/src/m/lone/Blob.java is binary, not UTF-8 text", lone("src/m/lone/Blob.java", new byte[] {'c', 'l', 0, 0, 1, 2}));
        cases.put("Lone/module.properties references itself", lone("module.properties", utf8("application=Other\nstate=published\nreferences=Lone\n")));
        cases.put("references Ghost, which is not a module of this environment",
                lone("module.properties", utf8("application=Other\nstate=published\nreferences=Core,Ghost\n")));
        cases.put("Lone/module.properties references: '" + SCRIPT + "' is not a valid module name",
                lone("module.properties", utf8("application=Other\nstate=published\nreferences=" + SCRIPT + "\n")));
        cases.put("Lone/module.properties is missing", lone("module.properties", null));
        cases.put("Lone/module.properties has no 'references' key", lone("module.properties", utf8("application=Other\nstate=published\n")));
        cases.put("has a value for 'color' longer than 4000 characters", lone("config.properties", utf8("color=" + "b".repeat(4001) + "\n")));
        cases.put("has a configuration key that is empty or longer than 200 characters", lone("config.properties", utf8("k".repeat(201) + "=1\n")));
        cases.put("has an invalid application name", lone("module.properties", utf8("application=" + "A".repeat(101) + "\nstate=published\nreferences=\n")));
        cases.put("Lone/src is missing: a module needs at least one .java source", lone("src/m/lone/Api.java", null));
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var tempFolders = uploadFolders();
            String passwd = readIfThere(Path.of("/etc/passwd"));
            var before = server.state();
            cases.forEach((expected, zip) -> {
                var flash = admin.flashAfter(admin.upload("/modules/Lone/upload", Map.of(), "Lone.zip", zip));
                assertNotNull(flash, expected);
                assertTrue(flash.contains(expected.strip()), "'" + expected + "' in: " + flash);
                assertEquals(before, server.state(), "nothing stored: " + expected);
                assertFalse(Files.exists(escaped), "nothing written outside the upload's temp folder: " + expected);
            });
            // An archive itself over the limit is refused before its body is read (UploadLimitsTest): a page, not a flash.
            byte[] noise = new byte[21 * 1024 * 1024];
            new Random(4).nextBytes(noise);
            var tooLarge = admin.upload("/modules/Lone/upload", Map.of(), "Lone.zip", storedZip("src/m/lone/Noise.java", noise));
            assertEquals(413, tooLarge.status());
            assertTrue(ConsoleClient.errorMessage(tooLarge.body()).contains("larger than 20 MiB"), tooLarge.body());
            assertEquals(before, server.state(), "nothing stored: an archive over the limit");
            admin.get("/modules/Lone");
            assertEquals(passwd, readIfThere(Path.of("/etc/passwd")), "/etc/passwd is untouched");
            // Only folders these uploads made count: another process on the machine may come and go meanwhile.
            var left = new java.util.HashSet<>(uploadFolders());
            left.removeAll(tempFolders);
            assertEquals(Set.of(), left, "each upload's temp folder is removed");

            // The same upload, well formed, is stored: the cases above were refused for what they hold.
            var good = admin.flashAfter(admin.upload("/modules/Lone/upload", Map.of(), "Lone.zip", lone("src/m/lone/Extra.java",
                    utf8("package m.lone;\n\nclass Extra {}\n"))));
            assertEquals("Uploaded Lone: code version 2. Publish it to use it.", good);
        }
    }

    /** Names a module cannot have, in every place a name goes: paths, the upload form. */
    private static final List<String> HOSTILE_NAMES = List.of(SCRIPT, SQL, "../evil", "M".repeat(101));

    @Test
    void hostile_module_names_are_refused_everywhere_with_a_message_naming_them_and_nothing_changes() {
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            String basic = ConsoleClient.basic(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var before = server.state();
            for (String name : HOSTILE_NAMES) {
                String shown = modprep.environment.Names.abbreviate(name);
                String path = "/modules/" + ConsoleClient.segment(name);
                var page = admin.get(path);
                assertEquals(404, page.status(), name);
                assertEquals("no module named " + shown, ConsoleClient.errorMessage(page.body()));
                assertFalse(page.body().contains(SCRIPT), "the name is escaped on the page");
                for (String action : List.of("/publish", "/configurations", "/delete")) {
                    var flash = admin.flashAfter(admin.post(path + action, Map.of("config.color", "red")));
                    assertEquals("no module named " + shown, flash, action);
                }
                var upload = admin.flashAfter(admin.upload("/modules/upload", Map.of("name", name), "x.zip", lone("src/m/lone/X.java", utf8("class X {}"))));
                assertEquals("upload: '" + shown + "' is not a valid module name (letters, digits, '_', '-' and '.' only, at most 100 characters)", upload);
                for (String[] call : List.of(new String[] {"GET", ""}, new String[] {"POST", "/publish"},
                        new String[] {"POST", "/configurations"}, new String[] {"DELETE", ""})) {
                    var answer = admin.api(call[0], "/api/modules/" + ConsoleClient.segment(name) + call[1],
                            call[1].equals("/configurations") ? "{\"color\":\"red\"}" : null, basic);
                    assertEquals(404, answer.status(), call[0] + call[1] + " " + name + ": " + answer.body());
                    assertEquals(Map.of("error", "not_found", "message", "no module named " + shown), json(answer.body()));
                }
                var application = admin.get("/applications/" + ConsoleClient.segment(name + "x"));
                assertEquals(404, application.status());
                assertEquals("no application named " + modprep.environment.Names.abbreviate(name + "x"), ConsoleClient.errorMessage(application.body()));
            }
            for (String name : List.of("Lone\u0000", "Lone\nX", "", " Lone")) {
                var upload = admin.flashAfter(admin.upload("/modules/upload", Map.of("name", name), "x.zip", lone("src/m/lone/X.java", utf8("class X {}"))));
                assertTrue(upload.startsWith("upload: '" + modprep.environment.Names.abbreviate(name) + "' is not a valid module name"), upload);
            }
            assertEquals(before, server.state(), "nothing changed");
        }
    }

    private static Map<String, Object> json(String body) {
        try {
            return modprep.Json.MAPPER.readValue(body, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    @Test
    void malformed_and_wrongly_typed_api_requests_get_an_error_and_a_message_naming_the_problem() {
        try (var server = server()) {
            var api = ConsoleClient.of(server);
            String basic = ConsoleClient.basic(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var before = server.state();
            var cases = new LinkedHashMap<String[], String>();
            cases.put(new String[] {"POST", "/api/upgrade", "{\"toVersion\":"}, "400 bad_input the body is not valid JSON");
            cases.put(new String[] {"POST", "/api/upgrade", "toVersion=11.17.0"}, "400 bad_input the body is not valid JSON");
            cases.put(new String[] {"POST", "/api/upgrade", "\u00ff\u00fe{"}, "400 bad_input the body is not valid JSON");
            cases.put(new String[] {"POST", "/api/upgrade", ""}, "400 bad_input the body must be {\"toVersion\": \"11.17.0\"}");
            cases.put(new String[] {"POST", "/api/upgrade", "[\"11.17.0\"]"}, "400 bad_input the body must be {\"toVersion\": \"11.17.0\"}");
            cases.put(new String[] {"POST", "/api/upgrade", "{\"toVersion\":11.17}"}, "400 bad_input the body must be {\"toVersion\": \"11.17.0\"}");
            cases.put(new String[] {"POST", "/api/upgrade", "{\"toVersion\":[\"11.17.0\"]}"}, "400 bad_input the body must be {\"toVersion\": \"11.17.0\"}");
            cases.put(new String[] {"POST", "/api/upgrade", "{\"toVersion\":\"99.1.0\"}"}, "400 bad_input unknown platform version '99.1.0'");
            cases.put(new String[] {"POST", "/api/upgrade", "{\"toVersion\":\"" + SCRIPT + "\"}"}, "400 bad_input unknown platform version '" + SCRIPT + "'");
            cases.put(new String[] {"POST", "/api/upgrade", "{\"toVersion\":\"11.9.0\"}"}, "409 refused upgrading from 11.16.1 to 11.9.0 is a downgrade");
            cases.put(new String[] {"POST", "/api/upgrade", "{\"toVersion\":\"11.16.1\"}"}, "409 refused the environment already runs platform 11.16.1");
            cases.put(new String[] {"POST", "/api/upgrade", "{\"toVersion\":\"11.17.0\",\"toVersion\":\"11.18.0\"}"}, "400 bad_input the body is not valid JSON: Duplicate field 'toVersion'");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "[\"color\"]"}, "400 bad_input the body must be a JSON object");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "\"red\""}, "400 bad_input the body must be a JSON object");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "{\"color\":5}"}, "400 bad_input the value of 'color' must be a string");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "{\"color\":null}"}, "400 bad_input the value of 'color' must be a string");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "{\"color\":{\"r\":1}}"}, "400 bad_input the value of 'color' must be a string");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "{\"color\":true}"}, "400 bad_input the value of 'color' must be a string");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "{\"shape\":\"round\"}"}, "400 bad_input module Lone has no configuration 'shape'; its configurations are: color");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "{\"" + SCRIPT + "\":\"1\"}"}, "400 bad_input module Lone has no configuration '" + SCRIPT + "'");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "{\"color\":\"" + "b".repeat(4001) + "\"}"}, "400 bad_input module Lone: the value of 'color' is longer than 4000 characters");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "{\"color\":\"red\\u0000\"}"}, "400 bad_input module Lone: the value of 'color' contains control characters");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "{\"color\":\"red\",\"color\":\"green\"}"}, "400 bad_input the body is not valid JSON: Duplicate field 'color'");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "{\"color\":\"red\""}, "400 bad_input the body is not valid JSON");
            cases.put(new String[] {"POST", "/api/modules/Lone/configurations", "{\"color\":\"" + "b".repeat(2_000_000) + "\"}"},
                    "400 bad_input the request body is too large (a request has at most 1 MB)");
            cases.put(new String[] {"GET", "/api/preparations/abc", null}, "400 bad_input 'abc' is not a valid id");
            cases.put(new String[] {"GET", "/api/preparations/99999999999999999999", null}, "400 bad_input '99999999999999999999' is not a valid id");
            cases.put(new String[] {"GET", "/api/preparations/42", null}, "404 not_found no preparation run #42");
            cases.put(new String[] {"GET", "/api/modules?page=two", null}, "400 bad_input 'two' is not a valid page");
            cases.put(new String[] {"GET", "/api/no-such-thing", null}, "404 not_found no such API endpoint: GET /api/no-such-thing");
            cases.put(new String[] {"PUT", "/api/prepare", "{}"}, "404 not_found no such API endpoint: PUT /api/prepare");
            cases.forEach((request, expected) -> {
                var answer = api.api(request[0], request[1], request[2], basic);
                var body = json(answer.body());
                String actual = answer.status() + " " + body.get("error") + " " + body.get("message");
                assertTrue(actual.startsWith(expected), request[0] + " " + request[1] + " " + request[2] + "\n expected: " + expected + "\n   actual: " + actual);
                assertEquals(Set.of("error", "message"), body.keySet(), answer.body());
            });
            assertEquals(before, server.state(), "nothing changed");
        }
    }

    @Test
    void hostile_and_overlong_form_values_are_refused_with_a_flash_message_and_nothing_changes() {
        try (var server = server()) {
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);
            var before = server.state();
            var cases = new LinkedHashMap<String[], String>();
            cases.put(new String[] {"/modules/Lone/configurations", "config.color", "b".repeat(4001)}, "module Lone: the value of 'color' is longer than 4000 characters");
            cases.put(new String[] {"/modules/Lone/configurations", "config.color", "red\r\nSet-Cookie: x=1"}, "module Lone: the value of 'color' contains control characters");
            cases.put(new String[] {"/modules/Lone/configurations", "config." + SQL, "1"}, "module Lone has no configuration '" + SQL + "'");
            cases.put(new String[] {"/upgrades/upgrade", "toVersion", SCRIPT}, "unknown platform version '" + SCRIPT + "'");
            cases.put(new String[] {"/upgrades/upgrade", "toVersion", "11.9.0"}, "upgrading from 11.16.1 to 11.9.0 is a downgrade");
            cases.put(new String[] {"/upgrades/upgrade", "toVersion", ""}, "unknown platform version ''");
            cases.put(new String[] {"/users/tokens", "name", "t".repeat(101)}, "a token needs a name of 1 to 100 characters");
            cases.put(new String[] {"/users/tokens", "user", "<b>admin</b>"}, "no user named <b>admin</b>");
            cases.put(new String[] {"/applications/" + ConsoleClient.segment(SCRIPT) + "x/publish", "x", "1"}, "no application named " + SCRIPT + "x");
            cases.forEach((request, expected) -> {
                var form = new LinkedHashMap<String, String>();
                form.put("user", "admin");
                form.put("name", "ci");
                form.put(request[1], request[2]);
                var redirect = admin.post(request[0], form);
                var page = admin.get(redirect.location());
                String flash = ConsoleClient.flash(page.body());
                assertNotNull(flash, request[0] + ": " + page.body());
                assertTrue(flash.startsWith(expected), "expected: " + expected + "\n  actual: " + flash);
                assertFalse(page.body().contains(SCRIPT) && !page.body().contains("&lt;script&gt;"), "shown escaped");
            });
            for (String name : List.of(SCRIPT, SQL, "n".repeat(1000))) {
                var stranger = ConsoleClient.of(server);
                var refused = stranger.signIn(name, "p".repeat(300));
                assertEquals(401, refused.status(), name);
                assertTrue(refused.body().contains("Unknown user or wrong password."), refused.body());
                assertFalse(refused.body().contains(SCRIPT), "the name typed is shown escaped in its field");
            }
            var noFile = admin.flashAfter(admin.upload("/modules/Lone/upload", Map.of(), null, null));
            assertEquals("choose a zip archive of the module folder to upload", noFile);
            assertEquals(before, server.state(), "nothing changed");
        }
    }

    @Test
    void html_like_text_in_application_names_configuration_values_and_javac_diagnostics_renders_as_text() {
        try (var server = server()) {
            var started = server.app.preparations().upgrade("11.17.0", "admin");
            server.startWorker();
            var run = TestEnvironment.awaitEnd(server.app, started.runId(), Duration.ofSeconds(60));
            assertEquals(List.of("Evil"), TestEnvironment.byStatus(run).get("failed"), "Evil's hidden file calls findByName");
            var admin = ConsoleClient.of(server).signedIn(ConsoleServer.ADMIN, ConsoleServer.PASSWORD);

            String module = admin.get("/modules/Evil").body();
            assertTrue(module.contains("value=\"&lt;b&gt;x&lt;/b&gt;\""), "a configuration value is an attribute's text");
            assertTrue(module.contains("value=\"x&#39;; DROP TABLE module;--\""));
            assertTrue(module.contains(">&lt;script&gt;alert(1)&lt;/script&gt;</a>"), "the application name is text");
            assertTrue(module.contains("src/m/evil/&lt;img src=x onerror=alert(1)&gt;.java:4: error: cannot find symbol"),
                    "javac's diagnostic names the file, as text");
            String preparation = admin.get("/preparations/" + started.runId()).body();
            assertTrue(preparation.contains("src/m/evil/&lt;img src=x onerror=alert(1)&gt;.java:4: error"), "on the run's page too");
            for (String page : List.of(module, preparation, admin.get("/modules").body(), admin.get("/applications").body(),
                    admin.get("/").body())) {
                assertFalse(page.contains(SCRIPT), "no raw script element");
                assertFalse(page.contains("<img src=x"), "no raw img element");
                assertFalse(page.contains("<b>x</b>"), "no raw b element");
            }

            // Every application link leads to its page, whatever characters the name holds (a slash, a space).
            for (String application : List.of(SCRIPT, "My Shop")) {
                var links = Pattern.compile("href=\"(/applications/[^\"]+)\"[^>]*>" + Pattern.quote(application
                        .replace("<", "&lt;").replace(">", "&gt;")) + "</a>").matcher(admin.get("/applications").body());
                assertTrue(links.find(), "a link to " + application);
                String href = ConsoleClient.unescape(links.group(1));
                var page = admin.get(href);
                assertEquals(200, page.status(), href);
                assertTrue(page.body().contains("&lt;script&gt;") || page.body().contains(application), href);
                var publish = admin.post(href + "/publish", Map.of());
                assertEquals(200, admin.get(publish.location()).status(), "publishing an application leads back to its page: " + publish.location());
            }

            admin.get("/modules/Evil");
            String failed = admin.flashAfter(admin.post("/modules/Evil/publish", Map.of()));
            assertTrue(failed.contains("src/m/evil/" + IMG_FILE + ":4: error: cannot find symbol"), failed);
        }
    }
}
