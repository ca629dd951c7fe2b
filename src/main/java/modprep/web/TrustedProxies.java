package modprep.web;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The installation's trusted-proxies setting, read again at most every few seconds: reading it is a
 * database query, and a change made on the Settings page (on any node) must apply within seconds on
 * every node. If it cannot be read (the database away), the last list read goes on being used.
 */
final class TrustedProxies {
    static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private final Supplier<List<String>> setting;
    private final LongSupplier nanoTime;
    private volatile List<IpRange> ranges;
    private volatile long readAt;

    /** @param setting the stored list (a database read); @param nanoTime System::nanoTime, or a test's */
    TrustedProxies(Supplier<List<String>> setting, LongSupplier nanoTime) {
        this.setting = setting;
        this.nanoTime = nanoTime;
    }

    boolean trusts(InetAddress address) {
        for (var range : current()) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private List<IpRange> current() {
        var known = ranges;
        if (known != null && nanoTime.getAsLong() - readAt < FRESH_FOR.toNanos()) {
            return known;
        }
        synchronized (this) {
            if (ranges != null && nanoTime.getAsLong() - readAt < FRESH_FOR.toNanos()) {
                return ranges; // read meanwhile by another request
            }
            try {
                var read = new ArrayList<IpRange>();
                setting.get().forEach(text -> read.add(IpRange.of(text)));
                ranges = List.copyOf(read);
            } catch (RuntimeException unreadable) {
                org.slf4j.LoggerFactory.getLogger(TrustedProxies.class).warn("the trusted-proxies setting could not be read "
                        + "({}): {}", unreadable.toString(), ranges == null ? "no proxy is trusted" : "the last list read is used");
                ranges = ranges == null ? List.of() : ranges;
            }
            readAt = nanoTime.getAsLong();
            return ranges;
        }
    }
}
