package platform.system;

/** The platform's users. */
public final class Users {
    private Users() {
    }

    public static long currentUserId() {
        return 1L;
    }

    /** Replaces findByName, removed in this version. */
    public static long findByUsername(String username) {
        return username == null ? 0L : Math.abs((long) username.hashCode());
    }
}
