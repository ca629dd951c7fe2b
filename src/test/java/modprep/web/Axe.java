package modprep.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * axe-core (Deque's accessibility engine) run on the page the browser shows, on the rules of WCAG 2.0
 * and 2.1, levels A and AA. The console's Content-Security-Policy refuses a script it did not serve,
 * so the test injects axe through the driver; it is a test resource, never in the product.
 *
 * <p>src/test/resources/axe/axe.min.js is axe-core 4.14.1 from the npm registry ({@code npm pack
 * axe-core@4.14.1}; MPL-2.0, its LICENSE beside it). Its SHA-256 is the one axe-core publishes for that
 * version (sri-history.json): checked on load, so an edited copy is refused.
 */
final class Axe {
    static final String VERSION = "4.14.1";
    private static final String SHA256 = "KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw=";
    static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    private static final String SOURCE = load();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The browsers that load axe into every new page. */
    private static final Set<ChromeDriver> LOADING_AXE = Collections.newSetFromMap(new WeakHashMap<>());

    private Axe() {
    }

    /** Fails with every violation on the page: its rule, each element it found (target and HTML) and the fix. */
    static void check(ChromeDriver driver, String page) {
        var problems = violations(driver);
        if (!problems.isEmpty()) {
            throw new AssertionError(page + ": " + problems.size() + " accessibility violation(s) (axe-core " + VERSION + ", "
                    + String.join(", ", TAGS) + ")\n" + String.join("\n", problems));
        }
    }

    /** The violations on the page as the browser shows it now, one text per rule broken. */
    static List<String> violations(ChromeDriver driver) {
        if (!Boolean.TRUE.equals(driver.executeScript("return typeof window.axe === 'object';"))) {
            driver.executeScript(SOURCE);
            if (LOADING_AXE.add(driver)) {
                // Sent once, not its 600 KB with every page (about 80 ms each): every page loaded later has axe.
                driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", SOURCE));
            }
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        Object result = driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
                  .then(function (r) { done(JSON.stringify({ version: axe.version, violations: r.violations })); })
                  .catch(function (e) { done(JSON.stringify({ error: String(e) })); });
                """, TAGS);
        JsonNode report;
        try {
            report = JSON.readTree((String) result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (report.has("error")) {
            throw new AssertionError("axe-core could not run: " + report.get("error").asText());
        }
        if (!VERSION.equals(report.path("version").asText())) {
            throw new AssertionError("the page ran axe-core " + report.path("version").asText() + ", not " + VERSION);
        }
        var problems = new ArrayList<String>();
        for (JsonNode violation : report.get("violations")) {
            var text = new StringBuilder("- ").append(violation.path("id").asText())
                    .append(" (").append(violation.path("impact").asText()).append("): ").append(violation.path("help").asText())
                    .append(" — ").append(violation.path("helpUrl").asText());
            for (JsonNode node : violation.path("nodes")) {
                text.append("\n    at ").append(node.path("target"))
                        .append("\n       ").append(node.path("html").asText())
                        .append("\n       ").append(node.path("failureSummary").asText().replace("\n", "\n       "));
            }
            problems.add(text.toString());
        }
        return problems;
    }

    private static String load() {
        try (InputStream in = Axe.class.getResourceAsStream("/axe/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe/axe.min.js is missing from the test classpath");
            }
            byte[] bytes = in.readAllBytes();
            String sha = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
            if (!sha.equals(SHA256)) {
                throw new IllegalStateException("axe/axe.min.js is not axe-core " + VERSION + " as published (SHA-256 " + sha + ")");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
