package modprep.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JarCacheTest {
    /** A jar of about 1 KB, as the cache counts it (twice its bytes). */
    private static final int JAR_BYTES = 500;

    private final List<String> loaded = new ArrayList<>();
    /** Nothing is stored: every read that reaches the loader finds no jar. */
    private final JarCache cache = new JarCache(shas -> {
        loaded.addAll(shas);
        return Map.of();
    }, 3_000);

    private static ClassFiles classes(String name) {
        return new ClassFiles(name, Map.of(name + "/A.class", new byte[] {1}));
    }

    @Test
    void the_budget_is_an_eighth_of_a_small_heap_and_96_MiB_at_most() {
        long mib = 1024 * 1024;
        assertEquals(16 * mib, JarCache.budgetFor(128 * mib));
        assertEquals(32 * mib, JarCache.budgetFor(256 * mib));
        assertEquals(96 * mib, JarCache.budgetFor(6144 * mib));
    }

    @Test
    void past_its_budget_the_cache_drops_the_least_recently_used_jar() {
        cache.put("a", classes("a"), JAR_BYTES);
        cache.put("b", classes("b"), JAR_BYTES);
        cache.put("c", classes("c"), JAR_BYTES);

        assertThrows(IllegalStateException.class, () -> cache.get(List.of(Map.entry("A", "a"))));
        assertEquals(List.of("a"), loaded);
        assertEquals("C", cache.get(List.of(Map.entry("C", "c"))).get(0).owner());
        assertEquals(List.of("a"), loaded, "the newest are read from memory");
    }

    @Test
    void a_pinned_jar_stays_until_it_is_stored_however_many_come_after_it() {
        cache.putPinned("unstored", classes("unstored"), JAR_BYTES);
        for (int i = 0; i < 10; i++) {
            cache.put("jar" + i, classes("jar" + i), JAR_BYTES);
        }

        assertEquals(1, cache.get(List.of(Map.entry("Producer", "unstored"))).size());
        assertEquals(List.of(), loaded, "read from memory, never from the store, which does not have it yet");

        cache.unpin("unstored");
        cache.put("after", classes("after"), JAR_BYTES);
        cache.put("after2", classes("after2"), JAR_BYTES);
        assertThrows(IllegalStateException.class, () -> cache.get(List.of(Map.entry("Producer", "unstored"))));
        assertEquals(List.of("unstored"), loaded, "once stored, it may be dropped and read back");
    }
}
