package modprep.web;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.engine.IterationStatusVar;
import org.thymeleaf.exceptions.TemplateProcessingException;
import org.thymeleaf.standard.expression.IStandardVariableExpression;
import org.thymeleaf.standard.expression.IStandardVariableExpressionEvaluator;
import org.thymeleaf.standard.expression.OGNLVariableExpressionEvaluator;
import org.thymeleaf.standard.expression.StandardExpressionExecutionContext;
import org.thymeleaf.standard.expression.StandardExpressions;

/**
 * Thymeleaf's variable expressions, with {@code ${row.name}} on modprep's own records read directly.
 * OGNL finds a record's accessor ({@code name()}, no "get") only by scanning every method of the class,
 * at each access: at 50 rows of 7 properties that scan was most of a page's time (JFR). A chain of
 * properties over our objects ({@code run.counts.prepared}), and the plain comparisons and logic around
 * them ({@code active == 'users'}, see {@link PlainExpression}) are read here, each class's accessors
 * looked up once; anything else (calls with arguments, arithmetic, other objects) is OGNL's, as before.
 * Set on this console's own engine through the Standard dialect: nothing global changes.
 */
final class RecordExpressions implements IStandardVariableExpressionEvaluator {
    private static final Object NOT_OURS = PlainExpression.NOT_OURS;
    /** What a restricted expression may not read: the request, its parameters, the session, the application. */
    private static final java.util.regex.Pattern REQUEST_OBJECTS = java.util.regex.Pattern.compile(
            "(?<![\\w.])(param|session|application|request|response|servletContext)\\b");
    /** Names OGNL reads as a map's own properties, not as its keys. */
    private static final java.util.Set<String> OGNL_MAP_WORDS = java.util.Set.of("size", "isEmpty", "keys", "values");
    /** Each expression's text parsed once: a plain one, or empty for OGNL's. */
    private static final Map<String, Optional<PlainExpression>> PLAIN = new ConcurrentHashMap<>();
    /** Each chain's text split once into its links: splitting at every read was 2 % of a page (JFR). */
    private static final Map<String, Link[]> CHAINS = new ConcurrentHashMap<>();
    private static final ClassValue<Map<String, Optional<Method>>> ACCESSORS = new ClassValue<>() {
        @Override
        protected Map<String, Optional<Method>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    /** Methods called with arguments, by name and number of arguments, per class. */
    private static final ClassValue<Map<String, Optional<Method>>> CALLS = new ClassValue<>() {
        @Override
        protected Map<String, Optional<Method>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private final IStandardVariableExpressionEvaluator ognl = new OGNLVariableExpressionEvaluator(true);

    @Override
    public Object evaluate(IExpressionContext context, IStandardVariableExpression expression, StandardExpressionExecutionContext options) {
        String text = expression.getExpression();
        // Restricted (fragment parameters, th:on*): only the request's own objects are forbidden there, and
        // OGNL says so; a plain expression reads model variables alone. Most of a page's expressions are
        // restricted ones: sent to OGNL, they were a tenth of a page's time (JFR).
        if (expression.getUseSelectionAsRoot() || text == null
                || options.getRestrictVariableAccess() && REQUEST_OBJECTS.matcher(text).find()) {
            return ognl.evaluate(context, expression, options);
        }
        var plain = PLAIN.get(text);
        if (plain == null) {
            plain = PLAIN.computeIfAbsent(text, t -> Optional.ofNullable(PlainExpression.parse(t)));
        }
        Object value = plain.isEmpty() ? NOT_OURS : plain.get().value(new PlainExpression.Reader() {
            @Override
            public Object chain(String chain) {
                return RecordExpressions.chain(context, chain);
            }

            @Override
            public Object call(String target, String method, Object[] arguments) {
                return RecordExpressions.call(chain(target), method, arguments);
            }
        });
        if (value == NOT_OURS) {
            return ognl.evaluate(context, expression, options);
        }
        return options.getPerformTypeConversion()
                ? StandardExpressions.getConversionService(context.getConfiguration()).convert(context, value, String.class) : value;
    }

    /** The chain's value, or NOT_OURS when a link is not one this class reads as OGNL would (OGNL then reads it). */
    private static Object chain(IExpressionContext context, String text) {
        var links = CHAINS.get(text);
        if (links == null) {
            links = CHAINS.computeIfAbsent(text, RecordExpressions::links);
        }
        if (!context.containsVariable(links[0].name())) {
            return links.length == 1 ? null : NOT_OURS; // OGNL too reads a missing variable as null
        }
        Object target = context.getVariable(links[0].name());
        for (int i = 1; i < links.length && target != NOT_OURS; i++) {
            target = link(target, links[i].name(), links[i].call(), text);
        }
        return target;
    }

    /** One name of a chain, and whether it is called ({@code size()}). */
    private record Link(String name, boolean call) {
    }

    private static Link[] links(String chain) {
        return java.util.Arrays.stream(chain.split("\\."))
                .map(n -> n.endsWith("()") ? new Link(n.substring(0, n.length() - 2), true) : new Link(n, false)).toArray(Link[]::new);
    }

    /** One link of a chain: a property of our objects, a map's entry, a collection's size, an iteration's status. */
    private static Object link(Object target, String name, boolean call, String text) {
        if (target instanceof Collection<?> c && call && (name.equals("isEmpty") || name.equals("size"))) {
            return name.equals("isEmpty") ? (Object) c.isEmpty() : (Object) c.size();
        }
        if (target instanceof Map<?, ?> map) {
            if (call && (name.equals("isEmpty") || name.equals("size"))) {
                return name.equals("isEmpty") ? (Object) map.isEmpty() : (Object) map.size();
            }
            return !call && map.containsKey(name) && !OGNL_MAP_WORDS.contains(name) ? map.get(name) : NOT_OURS;
        }
        if (target instanceof Map.Entry<?, ?> entry && !call && (name.equals("key") || name.equals("value"))) {
            return name.equals("key") ? entry.getKey() : entry.getValue();
        }
        if (target instanceof IterationStatusVar status && !call) {
            return switch (name) {
                case "index" -> status.getIndex();
                case "count" -> status.getCount();
                case "size" -> status.getSize();
                case "first" -> status.isFirst();
                case "last" -> status.isLast();
                default -> NOT_OURS;
            };
        }
        if (target == null || !target.getClass().getName().startsWith("modprep.")) {
            return NOT_OURS;
        }
        var accessor = accessor(target.getClass(), name);
        if (accessor.isEmpty()) {
            return NOT_OURS;
        }
        try {
            return accessor.get().invoke(target);
        } catch (IllegalAccessException e) {
            return NOT_OURS;
        } catch (InvocationTargetException e) {
            throw new TemplateProcessingException("Exception evaluating \"" + text + "\"", e.getCause());
        }
    }

    /**
     * A call with arguments on one of our objects, a map's {@code get} and {@code containsKey} or a
     * list's {@code get}; else NOT_OURS (OGNL then converts the arguments, or says what is wrong).
     */
    private static Object call(Object target, String name, Object[] arguments) {
        if (arguments.length == 1 && target instanceof Map<?, ?> map && (name.equals("get") || name.equals("containsKey"))) {
            return name.equals("get") ? map.get(arguments[0]) : (Object) map.containsKey(arguments[0]);
        }
        if (arguments.length == 1 && target instanceof java.util.List<?> list && name.equals("get") && arguments[0] instanceof Integer i) {
            return list.get(i);
        }
        if (target == null || target == NOT_OURS || !target.getClass().getName().startsWith("modprep.")) {
            return NOT_OURS;
        }
        var method = CALLS.get(target.getClass()).computeIfAbsent(name + "/" + arguments.length, k -> {
            var found = java.util.Arrays.stream(target.getClass().getMethods())
                    .filter(m -> m.getName().equals(name) && m.getParameterCount() == arguments.length && !Modifier.isStatic(m.getModifiers()))
                    .toList();
            found.forEach(m -> m.setAccessible(true));
            return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty(); // overloads: OGNL chooses
        });
        if (method.isEmpty()) {
            return NOT_OURS;
        }
        try {
            return method.get().invoke(target, arguments);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            return NOT_OURS;
        } catch (InvocationTargetException e) {
            throw new TemplateProcessingException("Exception calling " + name + " on " + target.getClass().getSimpleName(), e.getCause());
        }
    }

    /** The public no-argument method of that name: a record's accessor, or another ({@code running()}). */
    private static Optional<Method> accessor(Class<?> type, String name) {
        var accessors = ACCESSORS.get(type);
        var known = accessors.get(name); // a plain read first: computeIfAbsent may lock the map's bin
        return known != null ? known : accessors.computeIfAbsent(name, n -> find(type, n));
    }

    private static Optional<Method> find(Class<?> type, String name) {
        try {
            var method = type.getMethod(name);
            if (method.getReturnType() == void.class || Modifier.isStatic(method.getModifiers())) {
                return Optional.empty();
            }
            method.setAccessible(true); // public methods of our package-private records: our own code
            return Optional.of(method);
        } catch (NoSuchMethodException | SecurityException e) {
            return Optional.empty();
        }
    }
}
