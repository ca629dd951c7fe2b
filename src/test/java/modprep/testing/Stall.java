package modprep.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A bound on a hang, not on speed: a test that waits for something to move (a run's progress) fails
 * only when what it watches has stayed the same for that long, however long the whole takes.
 */
public final class Stall {
    private final Duration bound;
    private Object last;
    private long since = System.nanoTime();

    public Stall(Duration bound) {
        this.bound = bound;
    }

    /**
     * Notes what is seen now; true when it moved since the last look. Throws, saying {@code what} stayed
     * where, when it has not moved for longer than the bound.
     */
    public boolean moved(Object seen, Supplier<String> what) {
        if (!Objects.equals(seen, last)) {
            last = seen;
            since = System.nanoTime();
            return true;
        }
        if (System.nanoTime() - since > bound.toNanos()) {
            throw new AssertionError(what.get() + " did not move for " + bound + " (a hang): " + seen);
        }
        return false;
    }
}
