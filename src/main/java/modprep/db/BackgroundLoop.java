package modprep.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a background loop (the worker, the compile batches, the notifications): its body works
 * while {@link #stopping()} is false and, when there is nothing to do, pauses until woken or a poll
 * interval passes; {@link #close} stops it after the step in progress, with a bounded wait.
 */
public final class BackgroundLoop {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoop.class);
    private final Object signal = new Object();
    private final Thread thread;
    private volatile boolean stopping;

    /** @param body the loop itself, run once on the new thread; it returns once {@link #stopping()} */
    public BackgroundLoop(String threadName, boolean daemon, Runnable body) {
        this.thread = new Thread(body, threadName);
        this.thread.setDaemon(daemon);
    }

    public void start() {
        thread.start();
    }

    public boolean stopping() {
        return stopping;
    }

    /** Whether the thread runs and was not told to stop. */
    public boolean alive() {
        return thread.isAlive() && !stopping;
    }

    /** Something was just added here: look at once instead of at the next poll. */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Waits until woken or this long passes; an interrupt stops the loop. */
    public void pause(long millis) {
        synchronized (signal) {
            try {
                signal.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    /** The loop ends after the step in progress; returns at once. */
    public void stop() {
        stopping = true;
        wake();
    }

    /**
     * Stops the loop and waits at most this long for the step in progress to end; returns whether it did. One that
     * did not is logged: what closes next (the database, at a server's stop) does so beside it.
     */
    public boolean close(long waitMillis) {
        stop();
        try {
            thread.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not stop within {} ms; going on without waiting for it", thread.getName(), waitMillis);
            return false;
        }
        return true;
    }
}
