package modprep.web;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.thymeleaf.context.IExpressionContext;
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
 * properties over our objects ({@code run.counts.prepared}) is read here, each class's accessors looked
 * up once; anything else (calls, operators, literals, other objects) is OGNL's, as before. Set on this
 * console's own engine through the Standard dialect: nothing global changes.
 */
final class RecordExpressions implements IStandardVariableExpressionEvaluator {
    private static final Pattern CHAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)+");
    private static final Object NOT_OURS = new Object();
    private static final ClassValue<Map<String, Optional<Method>>> ACCESSORS = new ClassValue<>() {
        @Override
        protected Map<String, Optional<Method>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private final IStandardVariableExpressionEvaluator ognl = new OGNLVariableExpressionEvaluator(true);

    @Override
    public Object evaluate(IExpressionContext context, IStandardVariableExpression expression, StandardExpressionExecutionContext options) {
        String text = expression.getExpression();
        if (expression.getUseSelectionAsRoot() || options.getRestrictVariableAccess() || text == null || !CHAIN.matcher(text).matches()) {
            return ognl.evaluate(context, expression, options);
        }
        Object value = chain(context, text);
        if (value == NOT_OURS) {
            return ognl.evaluate(context, expression, options);
        }
        return options.getPerformTypeConversion()
                ? StandardExpressions.getConversionService(context.getConfiguration()).convert(context, value, String.class) : value;
    }

    /** The chain's value, or NOT_OURS when a link is not one of our objects' properties (OGNL then reads it). */
    private static Object chain(IExpressionContext context, String text) {
        String[] names = text.split("\\.");
        if (!context.containsVariable(names[0])) {
            return NOT_OURS;
        }
        Object target = context.getVariable(names[0]);
        for (int i = 1; i < names.length; i++) {
            if (target == null || !target.getClass().getName().startsWith("modprep.")) {
                return NOT_OURS;
            }
            var accessor = accessor(target.getClass(), names[i]);
            if (accessor.isEmpty()) {
                return NOT_OURS;
            }
            try {
                target = accessor.get().invoke(target);
            } catch (IllegalAccessException e) {
                return NOT_OURS;
            } catch (InvocationTargetException e) {
                throw new TemplateProcessingException("Exception evaluating \"" + text + "\"", e.getCause());
            }
        }
        return target;
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
