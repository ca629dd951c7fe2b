package modprep.access;

import modprep.status.Coded;

/** How an audited action ended (stored in audit_event.outcome). */
public enum AuditOutcome implements Coded {
    SUCCEEDED("succeeded", "text-bg-success"),
    REFUSED("refused", "text-bg-warning"),
    FAILED("failed", "text-bg-danger");

    private final String code;
    private final String badge;

    AuditOutcome(String code, String badge) {
        this.code = code;
        this.badge = badge;
    }

    @Override
    public String code() {
        return code;
    }

    public String badge() {
        return badge;
    }

    public static AuditOutcome of(String code) {
        return Coded.of(AuditOutcome.class, code);
    }
}
