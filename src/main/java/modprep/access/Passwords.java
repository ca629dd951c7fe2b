package modprep.access;

import modprep.ModprepException;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Argon2id password hashes, salted, from Spring Security's encoder; and the rules for a password. */
public final class Passwords {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 200;

    /**
     * Argon2id with OWASP's minimum: 19 MiB, 2 passes, 1 lane (16-byte salt, 32-byte hash). Hashes made
     * with less (modprep before issue 14 used Spring Security 5.8's 16 MiB) still verify, and are replaced
     * at the next successful sign-in.
     */
    private static final Argon2PasswordEncoder ENCODER = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);

    private Passwords() {
    }

    public static String hash(String password) {
        require(password);
        return ENCODER.encode(password);
    }

    public static boolean matches(String password, String hash) {
        return password != null && password.length() <= MAX_LENGTH && ENCODER.matches(password, hash);
    }

    /** A new hash of a password that has just signed in (checked when it was set: not checked again here). */
    static String rehash(String password) {
        return ENCODER.encode(password);
    }

    /** Whether a stored hash was made with less memory or fewer passes than a new one would be. */
    public static boolean outdated(String hash) {
        return ENCODER.upgradeEncoding(hash);
    }

    /** A password long enough to resist guessing, and not absurdly long. */
    public static void require(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw ModprepException.badInput("a password needs at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw ModprepException.badInput("a password has at most " + MAX_LENGTH + " characters");
        }
    }

    /** A random password for the first administrator: 24 characters from a safe alphabet. */
    public static String generate() {
        var random = new java.security.SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }
}
