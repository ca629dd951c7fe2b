package modprep.readmodel;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Values worked out once by whichever request asks first, and kept as long as what they derive from
 * (a board, a stamp). A value may be null ("no estimate" is an answer), which a ConcurrentHashMap
 * cannot hold by itself.
 */
final class Memos {
    private static final Object NOTHING = new Object();
    private final ConcurrentHashMap<String, Object> values = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    <T> T get(String key, Supplier<T> compute) {
        var value = values.get(key);
        if (value == null) {
            T computed = compute.get();
            var raced = values.putIfAbsent(key, computed == null ? NOTHING : computed);
            value = raced == null ? computed : raced;
        }
        return value == NOTHING ? null : (T) value;
    }
}
