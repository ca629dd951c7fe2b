package modprep.access;

/** A signed-in user, as the console and the API know them. */
public record User(long id, String name, Role role) implements java.io.Serializable {
    public boolean isAdministrator() {
        return role == Role.ADMINISTRATOR;
    }
}
