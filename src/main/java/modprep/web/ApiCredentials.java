package modprep.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import modprep.access.ApiTokens;
import modprep.access.Audit;
import modprep.access.User;
import modprep.access.UserAccounts;
import modprep.db.Sha256;

/** Who calls the API: the user of a bearer token, or of an HTTP Basic name and password (its check kept a minute). */
final class ApiCredentials {
    /** A verified Basic credential is trusted this long without hashing again (Argon2id is slow on purpose). */
    private static final long BASIC_CACHE_MILLIS = 60_000;

    private final UserAccounts accounts;
    private final ApiTokens tokens;
    private final Audit audit;
    private final Map<String, CachedUser> basicCache = new ConcurrentHashMap<>();
    /** The Basic credentials being checked now, by the same key as the cache. */
    private final Map<String, CompletableFuture<User>> checking = new ConcurrentHashMap<>();

    private record CachedUser(User user, long until) {
    }

    ApiCredentials(UserAccounts accounts, ApiTokens tokens, Audit audit) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.audit = audit;
    }

    /** The user of an API token or an HTTP Basic credential; null without one, or for an unknown one (audited). */
    User user(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) {
            return null;
        }
        if (header.startsWith("Bearer ")) {
            var user = tokens.user(header.substring("Bearer ".length()).strip());
            if (user == null) {
                audit.refusedSignedOut(new Audit.Actor("(unknown)", ctx.ip()), "sign-in", "API token",
                        "unknown, expired or revoked API token, on " + ctx.method() + " " + ctx.path());
            }
            return user;
        }
        if (!header.startsWith("Basic ")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring("Basic ".length()).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String key = Sha256.of(decoded);
        var cached = basicCache.get(key);
        if (cached != null && cached.until() > System.currentTimeMillis()) {
            // Trusted without hashing again only while the password it was checked against is still the user's.
            var user = accounts.current(cached.user());
            if (user != null) {
                return user;
            }
            basicCache.remove(key);
        }
        // One check per credential at a time: the requests that bring it meanwhile wait for that check's
        // outcome. Each checking for itself counted as a sign-in attempt, and a client's 16 requests at once
        // (its first, or as the minute ran out) were throttled as if guessing, answered 401.
        var mine = new CompletableFuture<User>();
        var checking = this.checking.putIfAbsent(key, mine);
        if (checking != null) {
            try {
                return checking.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof UserAccounts.SignInRefused refused && refused.busy()) {
                    throw refused;
                }
                return null; // refused, and recorded, by the check it waited for
            }
        }
        try {
            var user = accounts.signIn(decoded.substring(0, colon), decoded.substring(colon + 1), ctx.ip());
            if (basicCache.size() > 10_000) {
                basicCache.clear();
            }
            basicCache.put(key, new CachedUser(user, System.currentTimeMillis() + BASIC_CACHE_MILLIS));
            mine.complete(user);
            return user;
        } catch (UserAccounts.SignInRefused e) {
            mine.completeExceptionally(e);
            // Like a refused sign-in on the form: recorded (the name, never the password).
            String name = decoded.substring(0, colon);
            audit.refusedSignedOut(new Audit.Actor(name.isBlank() ? "(unknown)" : name, ctx.ip()), "sign-in", name,
                    "HTTP Basic, on " + ctx.method() + " " + ctx.path() + ": " + e.getMessage());
            if (e.busy()) {
                throw e;
            }
            return null;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            this.checking.remove(key, mine);
        }
    }
}
