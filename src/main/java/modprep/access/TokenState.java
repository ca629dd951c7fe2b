package modprep.access;

import modprep.status.Worded;

/** Whether an API token is accepted: not stored (worked out from its expiry and revocation), but shown with words and a badge. */
public enum TokenState implements Worded {
    USABLE(new Words("usable", "usable", "text-bg-success")),
    EXPIRED(new Words("expired", "expired", "text-bg-secondary")),
    REVOKED(new Words("revoked", "revoked", "text-bg-danger"));

    private final Words words;

    TokenState(Words words) {
        this.words = words;
    }

    @Override
    public Words words() {
        return words;
    }
}
