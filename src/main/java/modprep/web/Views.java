package modprep.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.linkbuilder.StandardLinkBuilder;
import org.thymeleaf.standard.StandardDialect;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.thymeleaf.util.FastStringWriter;

/** Thymeleaf, used directly: templates from {@code templates/} in the jar, escaped by default. */
final class Views {
    private static final int PAGE_CHARS = 16 * 1024;
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

    String render(String template, Map<String, Object> model) {
        // Sized for a page: the engine's own writer starts at 100 characters and grows by copying (JFR: 1.5 % of a page).
        var page = new FastStringWriter(PAGE_CHARS);
        engine.process(template, context(model), page);
        return page.toString();
    }

    /** One fragment of a template, for live updates. */
    String renderFragment(String template, String fragment, Map<String, Object> model) {
        return engine.process(template, Set.of(fragment), context(model));
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
