package modprep.web;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import ognl.MethodFailedException;
import ognl.ObjectMethodAccessor;
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
        OgnlRuntime.setMethodAccessor(Object.class, new OwnMethods());
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

    /**
     * Calls {@code ${fmt.duration(x)}} and the like on modprep's own classes directly. OGNL's own call
     * takes a lock on the {@link Method} for each call ({@code OgnlRuntime.invokeMethod}): under 50
     * requests at once, pages queued there (JFR). A method is taken when it is the only public one of
     * its name and number of parameters; anything else (and arguments it does not take) goes the usual way.
     */
    static final class OwnMethods extends ObjectMethodAccessor {
        private static final ClassValue<Map<String, Optional<Method>>> CALLS = new ClassValue<>() {
            @Override
            protected Map<String, Optional<Method>> computeValue(Class<?> type) {
                return new ConcurrentHashMap<>();
            }
        };

        @Override
        @SuppressWarnings("rawtypes")
        public Object callMethod(Map context, Object target, String name, Object[] args) throws MethodFailedException {
            if (target != null && target.getClass().getName().startsWith("modprep.")) {
                var calls = CALLS.get(target.getClass());
                String key = name + "/" + args.length;
                var method = calls.get(key);
                if (method == null) {
                    method = calls.computeIfAbsent(key, k -> unique(target.getClass(), name, args.length));
                }
                if (method.isPresent()) {
                    try {
                        return method.get().invoke(target, args);
                    } catch (IllegalArgumentException e) {
                        // arguments that need OGNL's conversions: its own call below
                    } catch (IllegalAccessException e) {
                        throw new MethodFailedException(target, name, e);
                    } catch (InvocationTargetException e) {
                        throw new MethodFailedException(target, name, e.getCause());
                    }
                }
            }
            return super.callMethod(context, target, name, args);
        }

        private static Optional<Method> unique(Class<?> type, String name, int parameters) {
            var found = Arrays.stream(type.getMethods())
                    .filter(m -> m.getName().equals(name) && m.getParameterCount() == parameters && !Modifier.isStatic(m.getModifiers()))
                    .toList();
            if (found.size() != 1) {
                return Optional.empty();
            }
            found.get(0).setAccessible(true); // public methods of package-private classes: our own module, allowed
            return Optional.of(found.get(0));
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Object getProperty(Map context, Object target, Object name) throws OgnlException {
        if (target != null && name instanceof String property && target.getClass().getName().startsWith("modprep.")) {
            var methods = METHODS.get(target.getClass());
            var method = methods.get(property); // a plain read first: computeIfAbsent may lock the map's bin
            if (method == null) {
                method = methods.computeIfAbsent(property, p -> find(target.getClass(), p));
            }
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
