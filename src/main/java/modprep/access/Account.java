package modprep.access;

import java.time.OffsetDateTime;

/** A user as the Users page and {@code modprep user list} show them. */
public record Account(String name, Role role, OffsetDateTime createdAt, OffsetDateTime passwordChangedAt, OffsetDateTime disabledAt) {
    public boolean disabled() {
        return disabledAt != null;
    }
}
