package modprep.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.linkbuilder.StandardLinkBuilder;
import org.thymeleaf.standard.StandardDialect;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** Thymeleaf, used directly: templates from {@code templates/} in the jar, escaped by default. */
final class Views {
    private static final int PAGE_CHARS = 16 * 1024;
    /** Marks where a region goes in a page, until it is spliced in: no text that a page escapes can look like it. */
    private static final String REGION = "<!--region " + UUID.randomUUID() + " ";
    private final TemplateEngine engine = new TemplateEngine();
    private final Map<String, Object> globals;

    Views() {
        var resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
        var dialect = new StandardDialect();
        dialect.setVariableExpressionEvaluator(new RecordExpressions());
        engine.setDialect(dialect);
        // The console is served at the root: @{/…} links need no servlet context to resolve.
        engine.setLinkBuilder(new StandardLinkBuilder() {
            @Override
            protected String computeContextPath(IExpressionContext context, String base, Map<String, Object> parameters) {
                return "";
            }
        });
        var build = buildProperties();
        String bootstrap = "/webjars/bootstrap/" + build.getProperty("bootstrap.version");
        globals = Map.of("bootstrapCss", bootstrap + "/css/bootstrap.min.css",
                "bootstrapJs", bootstrap + "/js/bootstrap.bundle.min.js",
                "modprepVersion", build.getProperty("modprep.version"),
                "fmt", new Format());
    }

    /**
     * A whole page, as the bytes sent (ASCII, which is UTF-8). The model's {@link Html} regions are spliced
     * in after the engine rendered the rest: a run's region is most of its page, and passing it through the
     * engine again was a sixth of the page's time (JFR).
     */
    byte[] page(String template, Map<String, Object> model) {
        var regions = new ArrayList<String>();
        var marked = new HashMap<>(model);
        marked.replaceAll((name, value) -> {
            if (value instanceof Html html) {
                regions.add(html.text());
                return new Html(REGION + (regions.size() - 1) + "-->");
            }
            return value;
        });
        // Sized for a page: a writer that starts small grows by copying (JFR: 1.5 % of a page).
        var writer = new AsciiHtmlWriter(PAGE_CHARS);
        engine.process(template, context(marked), writer);
        return splice(writer.toString(), regions);
    }

    /** A whole page, as text. */
    String render(String template, Map<String, Object> model) {
        return new String(page(template, model), StandardCharsets.US_ASCII);
    }

    /** One fragment of a template: a region rendered once for many pages (the banner, a run's groups). */
    Html renderFragment(String template, String fragment, Map<String, Object> model) {
        var writer = new AsciiHtmlWriter(PAGE_CHARS / 4);
        engine.process(template, Set.of(fragment), context(model), writer);
        return new Html(writer.toString());
    }

    /** The page with each region's mark replaced by the region: every character is ASCII, one byte each. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) copies the low byte of each character: all there is in ASCII
    private static byte[] splice(String page, List<String> regions) {
        var marks = new ArrayList<int[]>(); // where each mark starts and ends, and its region
        int size = page.length();
        for (int at = regions.isEmpty() ? -1 : page.indexOf(REGION); at >= 0; at = page.indexOf(REGION, at + 1)) {
            int end = page.indexOf("-->", at) + "-->".length();
            int region = Integer.parseInt(page, at + REGION.length(), end - "-->".length(), 10);
            marks.add(new int[] {at, end, region});
            size += regions.get(region).length() - (end - at);
        }
        var bytes = new byte[size];
        int from = 0;
        int to = 0;
        for (int[] mark : marks) {
            page.getBytes(from, mark[0], bytes, to);
            to += mark[0] - from;
            String region = regions.get(mark[2]);
            region.getBytes(0, region.length(), bytes, to);
            to += region.length();
            from = mark[1];
        }
        page.getBytes(from, page.length(), bytes, to);
        return bytes;
    }

    private Context context(Map<String, Object> model) {
        var context = new Context(java.util.Locale.ENGLISH);
        context.setVariables(globals);
        context.setVariables(model);
        return context;
    }

    private static Properties buildProperties() {
        try (InputStream in = Views.class.getResourceAsStream("/build.properties")) {
            var properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("build.properties is missing from the jar", e));
        }
    }
}
