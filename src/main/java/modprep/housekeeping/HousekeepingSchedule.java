package modprep.housekeeping;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's housekeeping: at start, then every hour, with the retention as the settings say at that
 * moment (an administrator may change them while the server runs).
 */
public final class HousekeepingSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HousekeepingSchedule.class);
    public static final Duration EVERY = Duration.ofHours(1);

    private final Housekeeping housekeeping;
    private final Supplier<Retention> retention;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        var t = new Thread(r, "modprep-housekeeping");
        t.setDaemon(true);
        return t;
    });

    public HousekeepingSchedule(Housekeeping housekeeping, Supplier<Retention> retention) {
        this.housekeeping = housekeeping;
        this.retention = retention;
    }

    public HousekeepingSchedule start() {
        thread.scheduleWithFixedDelay(this::pass, 0, EVERY.toMinutes(), TimeUnit.MINUTES);
        return this;
    }

    private void pass() {
        try {
            housekeeping.removeOlderThan(retention.get());
        } catch (RuntimeException e) {
            modprep.db.OutOfMemory.endIfIn(e);
            // The next pass tries again: what was not removed is only kept longer.
            LOG.warn("housekeeping failed, trying again in {} min: {}", EVERY.toMinutes(), e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
