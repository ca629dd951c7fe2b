package modprep.web;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import ognl.ObjectPropertyAccessor;
import ognl.OgnlException;
import ognl.OgnlRuntime;
import ognl.enhance.ExpressionCompiler;

/**
 * Reads {@code ${row.name}} on our records without a reflective search per access. Thymeleaf's OGNL
 * finds JavaBean getters in a cache, but a record's accessor ({@code name()}, no "get") only by scanning
 * every method of the class with string comparisons, each time: at 50 rows of 7 properties that scan
 * was most of the time a page took (JFR: {@code OgnlRuntime.getReadMethod}). Here each record class's
 * public no-argument methods are looked up once by name; anything else goes the usual way.
 * Only records of modprep's own packages are read so; the templates are ours.
 *
 * <p>Thymeleaf's shortcut for {@code a.b} reads JavaBean properties only, so expressions on records go
 * through OGNL's chains, which look up the "interface class" of the object at each link each time
 * (JFR: {@code ExpressionCompiler._getInterfaceClass}, walking every interface of Thymeleaf's context
 * class): {@link CachingCompiler} remembers it per class.
 */
final class RecordProperties extends ObjectPropertyAccessor {
    private static final ClassValue<Map<String, Optional<Method>>> METHODS = new ClassValue<>() {
        @Override
        protected Map<String, Optional<Method>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private RecordProperties() {
    }

    /** Registers the accessor for every record and the caching compiler (once per JVM, before the first template is rendered). */
    static void register() {
        OgnlRuntime.setPropertyAccessor(Record.class, new RecordProperties());
        OgnlRuntime.setCompiler(new CachingCompiler());
    }

    /** OGNL's expression compiler, with each class's interface class looked up once. */
    static final class CachingCompiler extends ExpressionCompiler {
        private final Map<Class<?>, Class<?>> interfaceClasses = new ConcurrentHashMap<>();

        @Override
        @SuppressWarnings("rawtypes")
        public Class getInterfaceClass(Class type) {
            if (type == null) {
                return super.getInterfaceClass(null);
            }
            var known = interfaceClasses.get(type);
            if (known == null) {
                known = super.getInterfaceClass(type);
                interfaceClasses.put(type, known);
            }
            return known;
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Object getProperty(Map context, Object target, Object name) throws OgnlException {
        if (target != null && name instanceof String property && target.getClass().getName().startsWith("modprep.")) {
            var method = METHODS.get(target.getClass()).computeIfAbsent(property, p -> find(target.getClass(), p));
            if (method.isPresent()) {
                try {
                    return method.get().invoke(target);
                } catch (IllegalAccessException e) {
                    throw new OgnlException(property, e);
                } catch (InvocationTargetException e) {
                    throw new OgnlException(property, e.getCause() instanceof Exception cause ? cause : e);
                }
            }
        }
        return super.getProperty(context, target, name);
    }

    /** The public no-argument method of that name, the record's accessor or another ({@code running()}). */
    private static Optional<Method> find(Class<?> type, String name) {
        try {
            var method = type.getMethod(name);
            if (method.getReturnType() == void.class || Modifier.isStatic(method.getModifiers())) {
                return Optional.empty();
            }
            method.setAccessible(true); // records of package-private classes: our own module, allowed
            return Optional.of(method);
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }
}
