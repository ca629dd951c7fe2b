package modprep.db;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A heartbeat on a daemon thread of its own: the beat runs again after the interval as it is then (a
 * changed setting applies at the next beat), as long as {@code going} says so, until closed.
 */
public final class Beats implements AutoCloseable {
    private final Supplier<Duration> interval;
    private final BooleanSupplier going;
    private final Runnable beat;
    private final ScheduledExecutorService executor;

    /** @param beat catches what it can survive: a beat that throws is still followed by the next */
    public Beats(String threadName, Supplier<Duration> interval, BooleanSupplier going, Runnable beat) {
        this.interval = interval;
        this.going = going;
        this.beat = beat;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** The first beat, one interval from now. */
    public void start() {
        try {
            executor.schedule(this::beatOnce, interval.get().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // Closing: no more beats.
        }
    }

    private void beatOnce() {
        try {
            beat.run();
        } catch (Error e) {
            OutOfMemory.endIfIn(e); // else kept in the scheduled task's Future, where nobody looks
            throw e;
        } finally {
            if (going.getAsBoolean()) {
                start();
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
