package modprep.access;

import java.time.Instant;

/**
 * A signed-in user, as the console and the API know them. {@code passwordChangedAt} is when the password
 * they signed in with was set: a session or a remembered credential from before a later change is over.
 */
public record User(long id, String name, Role role, Instant passwordChangedAt) implements java.io.Serializable {
    public boolean isAdministrator() {
        return role == Role.ADMINISTRATOR;
    }
}
