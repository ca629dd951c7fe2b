package modprep.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sign-in form's CSRF token, with no server session (a visitor who only looks at the form must not
 * cost a stored session): a random value with an expiry, signed with the installation's key
 * ({@link modprep.access.ConsoleKey}), sent both in the form and in a cookie for /signin only. A sign-in
 * must bring the same token back in both, signed with that key and not expired: a page of another site
 * can neither read the cookie nor set it. Like the sessions, the key is in the database: a form one node
 * showed is accepted by any node, and after a restart.
 * Like the session cookie, the cookie is Secure when the request came over HTTPS (see {@link ForwardedClients}).
 */
final class SignInTokens {
    static final String COOKIE = "modprep_signin";
    static final Duration LIFETIME = Duration.ofMinutes(30);

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    SignInTokens(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * The token for the form: the cookie's while it is valid (a browser asks for /signin again behind the
     * page, for its icon or a second tab, and a new cookie would orphan the form already shown), else a
     * new one, set in the cookie.
     */
    String issue(Context ctx) {
        String known = ctx.cookie(COOKIE);
        if (known != null && signedAndLive(known)) {
            return known;
        }
        var nonce = new byte[24];
        random.nextBytes(nonce);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(nonce) + "."
                + Instant.now().plus(LIFETIME).getEpochSecond();
        String token = value + "." + sign(value);
        ctx.res().addHeader("Set-Cookie", COOKIE + "=" + token + "; Path=/signin; Max-Age=" + LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (ctx.req().isSecure() ? "; Secure" : ""));
        return token;
    }

    /** The form's token is the cookie's, signed here, and not expired. */
    boolean valid(Context ctx, String given) {
        String cookie = ctx.cookie(COOKIE);
        return given != null && cookie != null && same(given, cookie) && signedAndLive(given);
    }

    /** Signed with the installation's key and not expired. */
    private boolean signedAndLive(String token) {
        int dot = token.lastIndexOf('.');
        if (dot < 0 || !same(token.substring(dot + 1), sign(token.substring(0, dot)))) {
            return false;
        }
        String value = token.substring(0, dot);
        try {
            return Instant.now().getEpochSecond() < Long.parseLong(value.substring(value.lastIndexOf('.') + 1));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Forgets the cookie (once signed in, the session's own token takes over). */
    static void clear(Context ctx) {
        ctx.res().addHeader("Set-Cookie", COOKIE + "=; Path=/signin; Max-Age=0; HttpOnly; SameSite=Strict"
                + (ctx.req().isSecure() ? "; Secure" : ""));
    }

    private String sign(String value) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Compared in a time that does not tell how much of a guess was right. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
