package modprep.access;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * Bounds how many passwords are checked at once: each Argon2id check takes tens of milliseconds of a core
 * and 19 MiB on purpose, so a flood of sign-ins must not take every core and the heap. When every permit
 * is taken for a moment, a sign-in is refused as busy, at once, rather than queued without end.
 */
public final class PasswordChecks {
    private final Semaphore permits;
    private final Duration wait;
    private final BiPredicate<String, String> matches;

    PasswordChecks(int permits, Duration wait, BiPredicate<String, String> matches) {
        this.permits = new Semaphore(permits);
        this.wait = wait;
        this.matches = matches;
    }

    /** As many checks at once as there are cores (two at least); a sign-in waits at most a second for one. */
    public static PasswordChecks forThisMachine() {
        return new PasswordChecks(Math.max(2, Runtime.getRuntime().availableProcessors()), Duration.ofSeconds(1), Passwords::matches);
    }

    /** Whether the password matches the hash; refused as busy when no check is free. */
    boolean matches(String password, String hash) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw UserAccounts.SignInRefused.tooBusy();
        }
        try {
            return matches.test(password, hash);
        } finally {
            permits.release();
        }
    }
}
