package modprep.access;

import static modprep.db.schema.Tables.AUDIT_EVENT;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Supplier;
import modprep.ModprepException;
import modprep.db.Database;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * Every action, who did it, when, on what, and how it ended (refusals included), in the database.
 * Recorded in its own transaction, so that a refused action, which changes nothing, is still recorded.
 */
public final class Audit {
    /** Longest text kept in a row's target and detail (an actor or address: 100): a longer one is cut, with an ellipsis. */
    static final int MAX_TARGET = 300;
    static final int MAX_DETAIL = 1_000;

    private final Database database;
    private final Clock clock;
    private final SignedOutRefusals signedOut;

    public Audit(Database database, Clock clock, SignedOutRefusals signedOut) {
        this.database = database;
        this.clock = clock;
        this.signedOut = signedOut;
    }

    /** Who acted, and from where (an address, or "cli"). */
    public record Actor(String name, String address) {
    }

    public record Entry(long id, Instant at, String actor, String address, String action, String target, AuditOutcome outcome,
                        String detail) {
    }

    /** What to look for on the Audit page. */
    public record Filter(String actor, String action, String outcome, String text) {
    }

    /** An action's own account of how it ended, when returning is not the same as succeeding. */
    public record Outcome(AuditOutcome outcome, String detail) {
        public static Outcome failed(String detail) {
            return new Outcome(AuditOutcome.FAILED, detail);
        }

        public static Outcome succeeded(String detail) {
            return new Outcome(AuditOutcome.SUCCEEDED, detail);
        }
    }

    /**
     * Runs an action and records how it ended: succeeded, refused (by a rule or bad input) or failed.
     * An action that returns an {@link Outcome} says itself how it ended.
     */
    public <T> T record(Actor actor, String action, String target, Supplier<T> work) {
        try {
            T result = work.get();
            if (result instanceof Outcome outcome) {
                write(actor, action, target, outcome.outcome(), outcome.detail());
            } else {
                write(actor, action, target, AuditOutcome.SUCCEEDED, null);
            }
            return result;
        } catch (ModprepException e) {
            writeAfter(e, actor, action, target, AuditOutcome.REFUSED, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            writeAfter(e, actor, action, target, AuditOutcome.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    /**
     * Records how an action ended in failure; if that cannot be recorded either (the database is gone, the disk
     * full), the action's own error stays the one reported, with the audit's attached.
     */
    private void writeAfter(RuntimeException failure, Actor actor, String action, String target, AuditOutcome outcome, String detail) {
        try {
            write(actor, action, target, outcome, detail);
        } catch (RuntimeException auditFailure) {
            failure.addSuppressed(auditFailure);
        }
    }

    public void write(Actor actor, String action, String target, AuditOutcome outcome, String detail) {
        database.dsl().insertInto(AUDIT_EVENT)
                .set(AUDIT_EVENT.OCCURRED_AT, OffsetDateTime.now(clock))
                .set(AUDIT_EVENT.ACTOR, cut(actor.name(), 100))
                .set(AUDIT_EVENT.ADDRESS, cut(actor.address(), 100))
                .set(AUDIT_EVENT.ACTION, action)
                .set(AUDIT_EVENT.TARGET, cut(target, MAX_TARGET))
                .set(AUDIT_EVENT.OUTCOME, outcome.code())
                .set(AUDIT_EVENT.DETAIL, cut(detail, MAX_DETAIL))
                .execute();
    }

    /**
     * A refused sign-in of someone not signed in, who can send as many as they like: written, or only
     * counted once an address has had its share of rows this minute (see {@link SignedOutRefusals}).
     */
    public void refusedSignedOut(Actor actor, String action, String target, String detail) {
        signedOut.record(actor, action, target, detail);
    }

    /** Entries matching the filter, newest first, one page at a time; and how many match. */
    public List<Entry> find(Filter filter, int offset, int limit) {
        return database.dsl().selectFrom(AUDIT_EVENT).where(condition(filter))
                .orderBy(AUDIT_EVENT.ID.desc()).offset(offset).limit(limit)
                .fetch(r -> new Entry(r.getId(), r.getOccurredAt().toInstant(), r.getActor(), r.getAddress(), r.getAction(),
                        r.getTarget(), AuditOutcome.of(r.getOutcome()), r.getDetail()));
    }

    public int count(Filter filter) {
        return database.dsl().fetchCount(AUDIT_EVENT, condition(filter));
    }

    public List<String> actions() {
        return database.dsl().selectDistinct(AUDIT_EVENT.ACTION).from(AUDIT_EVENT).orderBy(AUDIT_EVENT.ACTION)
                .fetch(AUDIT_EVENT.ACTION);
    }

    private static Condition condition(Filter filter) {
        Condition condition = DSL.noCondition();
        if (filter.actor() != null && !filter.actor().isBlank()) {
            condition = condition.and(AUDIT_EVENT.ACTOR.eq(filter.actor().strip()));
        }
        if (filter.action() != null && !filter.action().isBlank()) {
            condition = condition.and(AUDIT_EVENT.ACTION.eq(filter.action()));
        }
        if (filter.outcome() != null && !filter.outcome().isBlank()) {
            condition = condition.and(AUDIT_EVENT.OUTCOME.eq(filter.outcome()));
        }
        if (filter.text() != null && !filter.text().isBlank()) {
            condition = condition.and(AUDIT_EVENT.TARGET.containsIgnoreCase(filter.text().strip())
                    .or(AUDIT_EVENT.DETAIL.containsIgnoreCase(filter.text().strip())));
        }
        return condition;
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
