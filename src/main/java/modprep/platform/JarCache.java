package modprep.platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compiled jars unpacked in memory, by SHA-256. Their content never changes, so a cached copy is
 * always right; the least recently used ones are dropped past a size budget so that big environments
 * prepare in a small heap. A jar compiled and not yet stored is pinned: its consumers may compile against
 * it before it is committed, and there is nowhere else to read it from meanwhile.
 */
public final class JarCache {
    private final Function<Collection<String>, Map<String, byte[]>> loader;
    private final long budgetBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
    private final Map<String, Integer> pinned = new HashMap<>();
    private long sizeBytes;

    private record Entry(Map<String, byte[]> classes, long size) {
    }

    /** The budget with a large heap: the jars of most environments' hot producers. */
    static final long MOST_BYTES = 96L * 1024 * 1024;

    /**
     * The budget in a heap of this size: an eighth of it at most. In a small heap (-Xmx128m) a larger cache
     * crowds out the compiler's own work and keeps the collector busy; a jar dropped is read back from the
     * database, which costs far less (bench/RESULTS.md).
     */
    public static long budgetFor(long maxHeapBytes) {
        return Math.min(MOST_BYTES, maxHeapBytes / 8);
    }

    /** @param loader reads stored jars by SHA-256, many at once */
    public JarCache(Function<Collection<String>, Map<String, byte[]>> loader, long budgetBytes) {
        this.loader = loader;
        this.budgetBytes = budgetBytes;
    }

    /** The jars named, each tagged with its owner, in the order given. */
    public List<ClassFiles> get(List<Map.Entry<String, String>> ownerAndSha) {
        var cached = new HashMap<String, Map<String, byte[]>>();
        var missing = new ArrayList<String>();
        synchronized (this) {
            for (var e : ownerAndSha) {
                var entry = entries.get(e.getValue());
                if (entry != null) {
                    cached.put(e.getValue(), entry.classes);
                } else {
                    missing.add(e.getValue());
                }
            }
        }
        if (!missing.isEmpty()) {
            var loaded = loader.apply(missing);
            for (String sha : missing) {
                byte[] jar = loaded.get(sha);
                if (jar == null) {
                    throw new IllegalStateException("stored jar " + sha + " is missing");
                }
                var classes = Map.copyOf(Archive.read(jar));
                cached.put(sha, classes);
                remember(sha, classes, jar.length);
            }
        }
        return ownerAndSha.stream().map(e -> new ClassFiles(e.getKey(), cached.get(e.getValue()))).toList();
    }

    /** Keeps a jar just compiled, so that its consumers need not read it back. */
    public void put(String sha, ClassFiles classes, long jarSize) {
        remember(sha, classes.classes(), jarSize);
    }

    /** Keeps a jar just compiled, never dropped until {@link #unpin}: it is not stored yet. */
    public synchronized void putPinned(String sha, ClassFiles classes, long jarSize) {
        pinned.merge(sha, 1, Integer::sum);
        remember(sha, classes.classes(), jarSize);
    }

    /** The jar is stored: it may be dropped again, and read back when needed. */
    public synchronized void unpin(String sha) {
        pinned.computeIfPresent(sha, (k, n) -> n == 1 ? null : n - 1);
    }

    private synchronized void remember(String sha, Map<String, byte[]> classes, long jarSize) {
        long size = jarSize * 2 + 256; // unpacked bytes plus map overhead, roughly
        if (entries.put(sha, new Entry(classes, size)) == null) {
            sizeBytes += size;
        }
        var oldest = entries.entrySet().iterator();
        while (sizeBytes > budgetBytes && oldest.hasNext()) {
            var entry = oldest.next();
            if (!pinned.containsKey(entry.getKey())) {
                sizeBytes -= entry.getValue().size;
                oldest.remove();
            }
        }
    }
}
