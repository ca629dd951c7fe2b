package modprep.access;

import static modprep.db.schema.Tables.APP_USER;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import modprep.ModprepException;
import modprep.db.Database;

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
    private static final modprep.db.RenderedOnce CURRENT = new modprep.db.RenderedOnce( // every request: rendered once
            org.jooq.impl.DSL.selectFrom(APP_USER).where(APP_USER.ID.eq(org.jooq.impl.DSL.param("id", Long.class))));
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

    public List<Account> list() {
        return database.dsl().selectFrom(APP_USER).orderBy(APP_USER.NAME)
                .fetch(r -> new Account(r.getName(), Role.of(r.getRole()), r.getCreatedAt(), r.getPasswordChangedAt(), r.getDisabledAt()));
    }

    /**
     * The user as the database holds them now, or null when their access has ended since {@code known} was
     * read: removed, disabled, or a new password set. Asked on every request, so that it holds on every node.
     */
    public User current(User known) {
        var row = CURRENT.fetchOneInto(database.dsl(), APP_USER, known.id());
        if (row == null || row.getDisabledAt() != null || !row.getPasswordChangedAt().toInstant().equals(known.passwordChangedAt())) {
            return null;
        }
        return user(row);
    }

    /** Every user whose access goes on, with when their password was set: for the live-update streams' check. */
    public java.util.Map<Long, java.time.Instant> active() {
        return database.dsl().select(APP_USER.ID, APP_USER.PASSWORD_CHANGED_AT).from(APP_USER).where(APP_USER.DISABLED_AT.isNull())
                .fetchMap(r -> r.value1(), r -> r.value2().toInstant());
    }

    public User add(String name, Role role, String password) {
        return addUnlessTaken(name, role, password).orElseThrow(() -> ModprepException.refused("a user named " + name + " already exists"));
    }

    /** The user added, or empty when the name is taken (also by a node adding it at this very moment: no failure). */
    private java.util.Optional<User> addUnlessTaken(String name, Role role, String password) {
        requireName(name);
        String hash = Passwords.hash(password);
        var now = OffsetDateTime.now(clock);
        var insert = database.dsl().insertInto(APP_USER).set(APP_USER.NAME, name).set(APP_USER.ROLE, role.id())
                .set(APP_USER.PASSWORD_HASH, hash).set(APP_USER.CREATED_AT, now).set(APP_USER.PASSWORD_CHANGED_AT, now)
                .onConflictDoNothing().returning(APP_USER.ID);
        return modprep.db.Duplicates.unlessTaken(insert).map(row -> new User(row.getId(), name, role, now.toInstant()));
    }

    /** A new password: the user's sessions, live-update streams and remembered credentials end with the old one. */
    public void changePassword(String name, String password) {
        String hash = Passwords.hash(password);
        database.transaction(tx -> {
            var row = existing(tx, name);
            // Strictly later than the old one, even within one tick of the clock: sessions compare it.
            var changed = OffsetDateTime.now(clock);
            if (!changed.isAfter(row.getPasswordChangedAt())) {
                changed = row.getPasswordChangedAt().plusNanos(1000);
            }
            return tx.update(APP_USER).set(APP_USER.PASSWORD_HASH, hash).set(APP_USER.PASSWORD_CHANGED_AT, changed)
                    .where(APP_USER.ID.eq(row.getId())).execute();
        });
    }

    /** Ends a user's access, keeping their name in the audit: sessions, streams and API tokens stop working at once. */
    public void disable(String name) {
        database.transaction(tx -> {
            var row = existing(tx, name);
            requireAnotherAdministrator(tx, row, "disable");
            return tx.update(APP_USER).set(APP_USER.DISABLED_AT, OffsetDateTime.now(clock)).where(APP_USER.ID.eq(row.getId()),
                    APP_USER.DISABLED_AT.isNull()).execute();
        });
    }

    public void enable(String name) {
        database.transaction(tx -> tx.update(APP_USER).setNull(APP_USER.DISABLED_AT).where(APP_USER.ID.eq(existing(tx, name).getId())).execute());
    }

    /** Removes a user and their API tokens; the audit keeps what they did, by name. */
    public void remove(String name) {
        database.transaction(tx -> {
            var row = existing(tx, name);
            requireAnotherAdministrator(tx, row, "remove");
            return tx.deleteFrom(APP_USER).where(APP_USER.ID.eq(row.getId())).execute();
        });
    }

    private static modprep.db.schema.tables.records.AppUserRecord existing(org.jooq.DSLContext tx, String name) {
        var row = tx.selectFrom(APP_USER).where(APP_USER.NAME.eq(name)).forUpdate().fetchOne();
        if (row == null) {
            throw ModprepException.notFound("no user named " + name);
        }
        return row;
    }

    /** Someone must be left who can administer: the last enabled administrator cannot be disabled or removed. */
    private static void requireAnotherAdministrator(org.jooq.DSLContext tx, modprep.db.schema.tables.records.AppUserRecord row, String verb) {
        if (Role.of(row.getRole()) != Role.ADMINISTRATOR || row.getDisabledAt() != null) {
            return;
        }
        // Locked in one order (by name), so that two administrators disabling each other cannot both succeed.
        int others = tx.selectFrom(APP_USER).where(APP_USER.ROLE.eq(Role.ADMINISTRATOR.id()), APP_USER.DISABLED_AT.isNull(),
                APP_USER.ID.ne(row.getId())).orderBy(APP_USER.NAME).forUpdate().fetch().size();
        if (others == 0) {
            throw ModprepException.refused("cannot " + verb + " " + row.getName() + ": they are the only enabled administrator left "
                    + "(add or enable another administrator first)");
        }
    }

    private static User user(modprep.db.schema.tables.records.AppUserRecord row) {
        return new User(row.getId(), row.getName(), Role.of(row.getRole()), row.getPasswordChangedAt().toInstant());
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
        // Another node starting at the same moment may make it first: then this one found it made.
        boolean made = addUnlessTaken("admin", Role.ADMINISTRATOR, password).isPresent();
        return made && generate ? password : null;
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
        if (row.getDisabledAt() != null) {
            // Said only to whoever knows the password: to anyone else a disabled account looks like any other.
            throttle.refund(accountKey);
            throttle.refund(addressKey);
            throw new SignInRefused("This account is disabled: ask an administrator.");
        }
        // The account starts afresh from here; the address keeps what it guessed at other names.
        throttle.clear(accountKey);
        throttle.refund(addressKey);
        if (Passwords.outdated(row.getPasswordHash())) {
            // Re-hashed with today's parameters, unless the password changed meanwhile.
            database.dsl().update(APP_USER).set(APP_USER.PASSWORD_HASH, Passwords.rehash(password))
                    .where(APP_USER.ID.eq(row.getId()), APP_USER.PASSWORD_HASH.eq(row.getPasswordHash())).execute();
        }
        return user(row);
    }

    private static SignInRefused tooMany(String where, java.time.Duration wait) {
        return new SignInRefused("Too many failed sign-ins " + where + ": try again in " + Math.max(1, wait.toSeconds()) + " s.");
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ModprepException.badInput("a user name has 1 to 100 letters, digits, '_', '.', '@' or '-'");
        }
    }
}
