package modprep.access;

import static modprep.db.schema.Tables.API_TOKEN;
import static modprep.db.schema.Tables.APP_USER;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.db.Sha256;

/**
 * Users, their passwords and API tokens, and signing in: failed attempts slow down further ones, per
 * account from one address and per address, so that guessing a password takes forever (see
 * {@link SignInThrottle}).
 *
 * <p>There is no limit per account across addresses: whoever reaches it locks the owner out, and however
 * high it is set, guesses from enough addresses reach it. Guessing one account from many addresses is
 * held back instead by each address's own limits, the minimum password length and Argon2id's cost with
 * a bound on checks at once ({@link PasswordChecks}).
 */
public final class UserAccounts {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,100}");
    /** Failures on one account from one address before each further attempt must wait. */
    static final int FREE_FAILURES = 5;
    /**
     * Failures from one address, on any names, before each further attempt from there must wait: higher,
     * since several people can share an address (an office behind one router), each mistyping now and then.
     */
    static final int ADDRESS_FREE_FAILURES = 20;
    /** Verified against when the user does not exist, so that a wrong name takes as long as a wrong password. */
    private static final String DUMMY_HASH = Passwords.hash("no-such-user-dummy-password");

    private final Database database;
    private final Clock clock;
    private final PasswordChecks checks;
    private final SignInThrottle throttle;

    public UserAccounts(Database database, Clock clock, PasswordChecks checks) {
        this.database = database;
        this.clock = clock;
        this.checks = checks;
        this.throttle = new SignInThrottle(database);
    }

    /** A sign-in that did not succeed: wrong credentials, too many failures lately, or too many checks at once. */
    public static final class SignInRefused extends RuntimeException {
        private final boolean busy;

        public SignInRefused(String message) {
            this(message, false);
        }

        private SignInRefused(String message, boolean busy) {
            super(message);
            this.busy = busy;
        }

        static SignInRefused tooBusy() {
            return new SignInRefused("The server is busy checking other sign-ins: try again in a moment.", true);
        }

        /** Refused for want of a free password check, not for anything this attempt did: worth trying again soon. */
        public boolean busy() {
            return busy;
        }
    }

    public boolean anyUser() {
        return database.dsl().fetchExists(APP_USER);
    }

    public List<User> list() {
        return database.dsl().selectFrom(APP_USER).orderBy(APP_USER.NAME)
                .fetch(r -> new User(r.getId(), r.getName(), Role.of(r.getRole())));
    }

    public User add(String name, Role role, String password) {
        requireName(name);
        String hash = Passwords.hash(password);
        var now = OffsetDateTime.now(clock);
        return database.transaction(tx -> {
            if (tx.fetchExists(APP_USER, APP_USER.NAME.eq(name))) {
                throw ModprepException.refused("a user named " + name + " already exists");
            }
            long id = tx.insertInto(APP_USER).set(APP_USER.NAME, name).set(APP_USER.ROLE, role.id())
                    .set(APP_USER.PASSWORD_HASH, hash).set(APP_USER.CREATED_AT, now).set(APP_USER.PASSWORD_CHANGED_AT, now)
                    .returning(APP_USER.ID).fetchOne().getId();
            return new User(id, name, role);
        });
    }

    public void changePassword(String name, String password) {
        String hash = Passwords.hash(password);
        int updated = database.dsl().update(APP_USER).set(APP_USER.PASSWORD_HASH, hash)
                .set(APP_USER.PASSWORD_CHANGED_AT, OffsetDateTime.now(clock)).where(APP_USER.NAME.eq(name)).execute();
        if (updated == 0) {
            throw ModprepException.notFound("no user named " + name);
        }
    }

    /**
     * On a first start with no users: creates the administrator "admin" with the given password, or a
     * generated one. Returns the generated password (to print once), or null.
     */
    public String ensureAdministrator(String configuredPassword) {
        if (anyUser()) {
            return null;
        }
        boolean generate = configuredPassword == null || configuredPassword.isBlank();
        String password = generate ? Passwords.generate() : configuredPassword;
        add("admin", Role.ADMINISTRATOR, password);
        return generate ? password : null;
    }

    /**
     * Checks a name and password from an address; slowed down after repeated failures. The attempt is
     * counted before the password is checked, so that attempts made at the same moment are all counted.
     */
    public User signIn(String name, String password, String address) {
        var now = OffsetDateTime.now(clock);
        // The name as typed (cut: no user's name is longer), with the address: the account from there.
        String typed = name == null ? "" : name.toLowerCase(Locale.ROOT);
        String accountKey = "account:" + address + " " + (typed.length() > 100 ? typed.substring(0, 100) : typed);
        String addressKey = "address:" + address;
        var wait = throttle.claim(accountKey, FREE_FAILURES, now);
        if (!wait.isZero()) {
            throw tooMany("for this account from this address", wait);
        }
        wait = throttle.claim(addressKey, ADDRESS_FREE_FAILURES, now);
        if (!wait.isZero()) {
            throttle.refund(accountKey);
            throw tooMany("from this address", wait);
        }
        var row = name == null ? null : database.dsl().selectFrom(APP_USER).where(APP_USER.NAME.eq(name)).fetchOne();
        boolean ok;
        try {
            ok = checks.matches(password, row == null ? DUMMY_HASH : row.getPasswordHash()) && row != null;
        } catch (SignInRefused busy) {
            throttle.refund(accountKey); // not checked: not a failure
            throttle.refund(addressKey);
            throw busy;
        }
        if (!ok) {
            throw new SignInRefused("Unknown user or wrong password.");
        }
        // The account starts afresh from here; the address keeps what it guessed at other names.
        throttle.clear(accountKey);
        throttle.refund(addressKey);
        if (Passwords.outdated(row.getPasswordHash())) {
            // Re-hashed with today's parameters, unless the password changed meanwhile.
            database.dsl().update(APP_USER).set(APP_USER.PASSWORD_HASH, Passwords.rehash(password))
                    .where(APP_USER.ID.eq(row.getId()), APP_USER.PASSWORD_HASH.eq(row.getPasswordHash())).execute();
        }
        return new User(row.getId(), row.getName(), Role.of(row.getRole()));
    }

    private static SignInRefused tooMany(String where, java.time.Duration wait) {
        return new SignInRefused("Too many failed sign-ins " + where + ": try again in " + Math.max(1, wait.toSeconds()) + " s.");
    }

    /** Creates an API token for a user; the token is returned once, only its SHA-256 is kept. */
    public String createToken(String userName, String tokenName, String createdBy) {
        return createToken(userName, tokenName, createdBy, TokenScope.API);
    }

    /** The same, for what the scope allows (a metrics token reaches GET /metrics only). */
    public String createToken(String userName, String tokenName, String createdBy, TokenScope scope) {
        if (tokenName == null || tokenName.isBlank() || tokenName.length() > 100) {
            throw ModprepException.badInput("a token needs a name of 1 to 100 characters");
        }
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String token = "mp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        var user = database.dsl().selectFrom(APP_USER).where(APP_USER.NAME.eq(userName)).fetchOne();
        if (user == null) {
            throw ModprepException.notFound("no user named " + userName);
        }
        database.dsl().insertInto(API_TOKEN).set(API_TOKEN.USER_ID, user.getId()).set(API_TOKEN.NAME, tokenName.strip())
                .set(API_TOKEN.TOKEN_SHA256, Sha256.of(token)).set(API_TOKEN.CREATED_AT, OffsetDateTime.now(clock))
                .set(API_TOKEN.CREATED_BY, createdBy).set(API_TOKEN.SCOPE, scope.id()).execute();
        return token;
    }

    /** The user an API token of the JSON API belongs to, or null. */
    public User byToken(String token) {
        return byToken(token, TokenScope.API);
    }

    /** The user an API token of that scope belongs to, or null (a token of another scope included). */
    public User byToken(String token, TokenScope scope) {
        if (token == null || !token.startsWith("mp_") || token.length() > 100) {
            return null;
        }
        var row = database.dsl().select(APP_USER.ID, APP_USER.NAME, APP_USER.ROLE, API_TOKEN.ID).from(API_TOKEN)
                .join(APP_USER).on(APP_USER.ID.eq(API_TOKEN.USER_ID))
                .where(API_TOKEN.TOKEN_SHA256.eq(Sha256.of(token)), API_TOKEN.SCOPE.eq(scope.id())).fetchOne();
        if (row == null) {
            return null;
        }
        database.dsl().update(API_TOKEN).set(API_TOKEN.LAST_USED_AT, OffsetDateTime.now(clock)).where(API_TOKEN.ID.eq(row.value4())).execute();
        return new User(row.value1(), row.value2(), Role.of(row.value3()));
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ModprepException.badInput("a user name has 1 to 100 letters, digits, '_', '.', '@' or '-'");
        }
    }
}
