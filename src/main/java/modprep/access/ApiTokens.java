package modprep.access;

import static modprep.db.schema.Tables.API_TOKEN;
import static modprep.db.schema.Tables.APP_USER;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.db.Sha256;
import org.jooq.Records;

/**
 * API tokens: created for a user and shown once (only their SHA-256 is kept), valid until they expire, are
 * revoked, or their user is disabled or removed. Every request reads the token's row, so that a revocation
 * holds at once on every node.
 */
public final class ApiTokens {
    /** How long a token lives unless its creator chooses otherwise. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);
    /** The longest a token may live: a monitoring scraper's token, renewed once a year or so. */
    public static final Duration LONGEST_LIFETIME = Duration.ofDays(730);

    private final Database database;
    private final Clock clock;

    public ApiTokens(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** A token as the Users page lists it (never its value). */
    public record Token(long id, String user, String name, OffsetDateTime createdAt, String createdBy, OffsetDateTime lastUsedAt,
                        OffsetDateTime expiresAt, OffsetDateTime revokedAt, String revokedBy, TokenScope scope, TokenState state) {
    }

    /** Creates a token of the JSON API for a user, valid for {@code lifetime}; the token is returned once. */
    public String create(String userName, String tokenName, String createdBy, Duration lifetime) {
        return create(userName, tokenName, createdBy, lifetime, TokenScope.API);
    }

    /** The same, for what the scope allows (a metrics token reaches GET /metrics only). */
    public String create(String userName, String tokenName, String createdBy, Duration lifetime, TokenScope scope) {
        if (tokenName == null || tokenName.isBlank() || tokenName.length() > 100) {
            throw ModprepException.badInput("a token needs a name of 1 to 100 characters");
        }
        if (lifetime.compareTo(Duration.ofDays(1)) < 0 || lifetime.compareTo(LONGEST_LIFETIME) > 0) {
            throw ModprepException.badInput("a token lives 1 to " + LONGEST_LIFETIME.toDays() + " days, not " + lifetime.toDays());
        }
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String token = "mp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        var user = database.dsl().selectFrom(APP_USER).where(APP_USER.NAME.eq(userName)).fetchOne();
        if (user == null) {
            throw ModprepException.notFound("no user named " + userName);
        }
        var now = OffsetDateTime.now(clock);
        database.dsl().insertInto(API_TOKEN).set(API_TOKEN.USER_ID, user.getId()).set(API_TOKEN.NAME, tokenName.strip())
                .set(API_TOKEN.TOKEN_SHA256, Sha256.of(token)).set(API_TOKEN.CREATED_AT, now).set(API_TOKEN.CREATED_BY, createdBy)
                .set(API_TOKEN.EXPIRES_AT, now.plus(lifetime)).set(API_TOKEN.SCOPE, scope.id()).execute();
        return token;
    }

    /** The user a usable token of the JSON API belongs to, or null (unknown, expired, revoked, or its user disabled). */
    public User user(String token) {
        return user(token, TokenScope.API);
    }

    /** The same for a token of that scope (a token of another scope is refused). */
    public User user(String token, TokenScope scope) {
        if (token == null || !token.startsWith("mp_") || token.length() > 100) {
            return null;
        }
        var now = OffsetDateTime.now(clock);
        var row = database.dsl().select(APP_USER.ID, APP_USER.NAME, APP_USER.ROLE, APP_USER.PASSWORD_CHANGED_AT, API_TOKEN.ID)
                .from(API_TOKEN).join(APP_USER).on(APP_USER.ID.eq(API_TOKEN.USER_ID))
                .where(API_TOKEN.TOKEN_SHA256.eq(Sha256.of(token)), API_TOKEN.REVOKED_AT.isNull(), API_TOKEN.EXPIRES_AT.gt(now),
                        APP_USER.DISABLED_AT.isNull(), API_TOKEN.SCOPE.eq(scope.id()))
                .fetchOne();
        if (row == null) {
            return null;
        }
        database.dsl().update(API_TOKEN).set(API_TOKEN.LAST_USED_AT, now).where(API_TOKEN.ID.eq(row.value5())).execute();
        return new User(row.value1(), row.value2(), Role.of(row.value3()), row.value4().toInstant());
    }

    /** Every token, newest first. */
    public List<Token> list() {
        var now = OffsetDateTime.now(clock);
        return database.dsl().select(API_TOKEN.ID, APP_USER.NAME, API_TOKEN.NAME, API_TOKEN.CREATED_AT, API_TOKEN.CREATED_BY,
                        API_TOKEN.LAST_USED_AT, API_TOKEN.EXPIRES_AT, API_TOKEN.REVOKED_AT, API_TOKEN.REVOKED_BY, API_TOKEN.SCOPE)
                .from(API_TOKEN).join(APP_USER).on(APP_USER.ID.eq(API_TOKEN.USER_ID)).orderBy(API_TOKEN.ID.desc())
                .fetch(Records.mapping((id, user, name, created, by, used, expires, revoked, revokedBy, scope) -> new Token(id, user,
                        name, created, by, used, expires, revoked, revokedBy, TokenScope.of(scope),
                        revoked != null ? TokenState.REVOKED : expires.isAfter(now) ? TokenState.USABLE : TokenState.EXPIRED)));
    }

    /** Revokes a token: from its next request on, on every node, it is refused. Returns its name. */
    public String revoke(long id, String by) {
        return database.transaction(tx -> {
            var row = tx.selectFrom(API_TOKEN).where(API_TOKEN.ID.eq(id)).forUpdate().fetchOne();
            if (row == null) {
                throw ModprepException.notFound("no API token #" + id);
            }
            if (row.getRevokedAt() != null) {
                throw ModprepException.refused("API token #" + id + " (" + row.getName() + ") was already revoked by "
                        + row.getRevokedBy() + " at " + row.getRevokedAt());
            }
            tx.update(API_TOKEN).set(API_TOKEN.REVOKED_AT, OffsetDateTime.now(clock)).set(API_TOKEN.REVOKED_BY, by)
                    .where(API_TOKEN.ID.eq(id)).execute();
            return row.getName();
        });
    }
}
