package modprep.access;

import java.util.Locale;

/** What a user may do: an administrator every action, a viewer only look. */
public enum Role {
    ADMINISTRATOR, VIEWER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String id) {
        for (var role : values()) {
            if (role.id().equals(id)) {
                return role;
            }
        }
        throw modprep.ModprepException.badInput("unknown role '" + id + "': it is administrator or viewer");
    }
}
