package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.thymeleaf.TemplateEngine;
import java.util.Locale;
import org.thymeleaf.context.Context;
import org.thymeleaf.context.ExpressionContext;
import org.thymeleaf.standard.expression.StandardExpressionExecutionContext;
import org.thymeleaf.standard.expression.VariableExpression;
import org.thymeleaf.standard.StandardDialect;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.StringTemplateResolver;

/** The expressions read without OGNL give what OGNL gives, in every template position that matters. */
class PlainExpressionTest {
    public record User(String name, Role role) {
        public boolean isAdministrator() {
            return role != null && role.id().equals("administrator");
        }
    }

    public record Role(String id) {
    }

    /** Calls with arguments, as the templates' {@code fmt} has them. */
    public record Calls(String prefix) {
        public String twice(String text) {
            return prefix + text + text;
        }

        public String sum(long a, long b) {
            return prefix + (a + b);
        }

        public String over(String text) {
            return "text " + text;
        }

        public String over(Integer number) {
            return "number " + number;
        }

        public String fails(String text) {
            throw new IllegalStateException("no " + text);
        }
    }

    private static final List<String> EXPRESSIONS = List.of("active == 'users'", "active != 'users'", "active == 'modules' or active == 'audit'",
            "user != null and user.isAdministrator()", "user == null", "user.role.id() == 'administrator'", "title", "missing",
            "missing == null", "not flag", "!flag", "flag and title", "flag or title", "zero or title", "items.isEmpty()", "items.size()",
            "none.isEmpty()", "user.name", "user != null and user.role.id() == 'administrator' and !flag", "page == 1", "count > 0",
            "flag == true", "user.role == null", "emptyText or 'fallback'", "count >= 2", "count < page", "page != count", "count > 1 and !flag",
            "fmt.twice(active)", "fmt.twice(user.name)", "fmt.sum(count, page)", "fmt.sum(count, zero) == '=2'", "fmt.over(active)",
            "fmt.twice('x', 'y')", "fmt.fails(active)", "fmt.sum(count, missing)", "entry.key", "entry.value == 'v'", "entry.value == 'users'", "count == active",
            "fmt.twice(fmt.twice(active))", "fmt.nothing(active)",
            "map.name", "map.size()", "map.isEmpty()", "map.size", "map.missing", "map.name == 'users'", "none.size()",
            "map.get('name')", "map.get(active)", "map.containsKey('name')", "map.containsKey(active)", "items.get(0)", "items.get(zero) == active");

    private static List<Map<String, Object>> contexts() {
        var users = new java.util.ArrayList<Map<String, Object>>();
        for (var user : new User[] {null, new User("ann", new Role("administrator")), new User("bob", new Role("viewer")), new User("x", null)}) {
            for (var active : new String[] {null, "users", "modules", "audit"}) {
                var model = new HashMap<String, Object>();
                model.put("user", user);
                model.put("active", active);
                model.put("title", active == null ? null : "Title " + active);
                model.put("flag", active != null && active.length() > 5);
                model.put("zero", 0);
                model.put("items", active == null ? List.of() : List.of(active));
                model.put("none", List.of());
                model.put("page", 1);
                model.put("count", 2);
                model.put("emptyText", "");
                model.put("fmt", new Calls("="));
                model.put("map", active == null ? Map.of() : Map.of("name", active, "size", "big"));
                model.put("entry", new java.util.TreeMap<>(Map.of("k", active == null ? "v" : active)).entrySet().iterator().next()); // as th:each gives
                users.add(model);
            }
        }
        return users;
    }

    /**
     * Thymeleaf logs each template that fails with its stack trace (about 260 in this test, most of CI's log):
     * here the failures are expected and compared, so its engine's logger is off while the test runs.
     */
    private static final ch.qos.logback.classic.Logger ENGINE_LOG = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(TemplateEngine.class);
    private static ch.qos.logback.classic.Level engineLevel;

    @BeforeAll
    static void quietEngine() {
        engineLevel = ENGINE_LOG.getLevel();
        ENGINE_LOG.setLevel(ch.qos.logback.classic.Level.OFF);
    }

    @AfterAll
    static void engineLogsAgain() {
        ENGINE_LOG.setLevel(engineLevel);
    }

    private static String render(TemplateEngine engine, String expression, Map<String, Object> model) {
        var context = new Context();
        context.setVariables(model);
        return engine.process("<ul><li th:each=\"i, s : ${items}\" th:text=\"${s.index} + ${s.count} + ${s.size} + ${s.first} + ${s.last}\"></li></ul>"
                + "<p th:text=\"${" + expression + "}\" th:if=\"${" + expression + "} or true\""
                + " th:classappend=\"${" + expression + "} ? 'on'\"></p><p th:if=\"${" + expression + "}\">shown</p>", context);
    }

    private static TemplateEngine engine(boolean ours) {
        var engine = new TemplateEngine();
        var resolver = new StringTemplateResolver();
        resolver.setTemplateMode(TemplateMode.HTML);
        engine.setTemplateResolver(resolver);
        var dialect = new StandardDialect();
        if (ours) {
            dialect.setVariableExpressionEvaluator(new RecordExpressions());
        }
        engine.setDialect(dialect);
        return engine;
    }

    @Test
    void plain_expressions_render_exactly_as_OGNL_renders_them() {
        var ognl = engine(false);
        var ours = engine(true);
        for (var expression : EXPRESSIONS) {
            for (var model : contexts()) {
                String expected;
                try {
                    expected = render(ognl, expression, model);
                } catch (RuntimeException e) {
                    expected = "error";
                }
                String actual;
                try {
                    actual = render(ours, expression, model);
                } catch (RuntimeException e) {
                    actual = "error";
                }
                assertEquals(expected, actual, expression + " with " + model);
            }
        }
    }

    /**
     * Fragments' parameters are evaluated in Thymeleaf's restricted mode, which forbids only the request's
     * own objects: a plain expression gives there what it gives elsewhere (which the test above compares
     * with OGNL), and one naming the request's objects is left to OGNL, which refuses it.
     */
    @Test
    void in_restricted_mode_plain_expressions_give_what_they_give_elsewhere() {
        var configuration = engine(false).getConfiguration();
        var ours = new RecordExpressions();
        for (var expression : EXPRESSIONS) {
            for (var model : contexts()) {
                var context = new ExpressionContext(configuration, Locale.ROOT, model);
                assertEquals(evaluate(ours, context, expression, StandardExpressionExecutionContext.NORMAL),
                        evaluate(ours, context, expression, StandardExpressionExecutionContext.RESTRICTED), expression + " with " + model);
            }
        }
        var context = new ExpressionContext(configuration, Locale.ROOT, Map.of("param", Map.of("x", "1")));
        assertEquals("1", evaluate(ours, context, "param.x", StandardExpressionExecutionContext.NORMAL));
        assertEquals("error", evaluate(ours, context, "param.x", StandardExpressionExecutionContext.RESTRICTED).substring(0, 5));
    }

    private static String evaluate(RecordExpressions evaluator, ExpressionContext context, String expression,
                                   StandardExpressionExecutionContext mode) {
        try {
            return String.valueOf(evaluator.evaluate(context, new VariableExpression(expression), mode));
        } catch (RuntimeException e) {
            return "error " + e.getClass().getSimpleName();
        }
    }

    @Test
    void the_templates_common_expressions_are_read_without_OGNL() {
        for (var expression : List.of("active == 'users'", "user != null and user.isAdministrator()", "fmt.time(latestRun.startedAt)",
                "labels.get(entry.key)", "runs.get(0)", "deployments.containsKey(run.id)",
                "page == pages", "pages > 1", "entry.key", "fmt.between(run.startedAt, run.finishedAt)", "!d.running and d.counts.deployed > 0",
                "module.publishedCodeVersion == null or module.latestCodeVersion > module.publishedCodeVersion")) {
            org.junit.jupiter.api.Assertions.assertNotNull(PlainExpression.parse(expression), expression);
        }
    }

    @Test
    void what_is_not_plain_is_left_to_OGNL() {
        for (var expression : List.of("labels[entry.key]", "page + 1", "a +", "#strings.isEmpty(x)",
                "a and", "== b", "'unclosed", "x.y z", "(p - 1) * perPage + 1",
                "p * perPage > total ? total : p * perPage", "f(x)", "a.b(c).d", "1.5 > x")) {
            assertNull(PlainExpression.parse(expression), expression);
        }
    }
}
