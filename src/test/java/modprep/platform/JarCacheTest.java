package modprep.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JarCacheTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void the_budget_is_a_quarter_of_a_small_heap_and_96_MiB_at_most() {
        assertEquals(32 * MIB, JarCache.budgetFor(128 * MIB));
        assertEquals(64 * MIB, JarCache.budgetFor(256 * MIB));
        assertEquals(96 * MIB, JarCache.budgetFor(6144 * MIB));
    }

    @Test
    void past_its_budget_the_least_recently_used_jar_is_dropped_and_read_back_when_asked_for() {
        var jar = new ClassFiles("A", Map.of("a/A.class", new byte[] {1, 2, 3})).toJar();
        var loaded = new ArrayList<String>();
        var cache = new JarCache(shas -> {
            loaded.addAll(shas);
            var found = new java.util.HashMap<String, byte[]>();
            shas.forEach(s -> found.put(s, jar));
            return found;
        }, 2 * (2L * jar.length + 256)); // room for two
        var classes = new ClassFiles("A", Map.of("a/A.class", new byte[] {1, 2, 3}));
        cache.put("one", classes, jar.length);
        cache.put("two", classes, jar.length);
        cache.get(List.of(Map.entry("A", "one"))); // "one" is now the most recently used
        cache.put("three", classes, jar.length); // drops "two"
        cache.get(List.of(Map.entry("A", "one"), Map.entry("A", "three")));
        assertEquals(List.of(), loaded, "kept in memory");
        var again = cache.get(List.of(Map.entry("A", "two")));
        assertEquals(List.of("two"), loaded, "dropped, read back");
        assertEquals(3, again.get(0).classes().get("a/A.class").length);
    }
}
