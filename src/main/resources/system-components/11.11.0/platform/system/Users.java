package platform.system;

/** The platform's users. */
public final class Users {
    private Users() {
    }

    public static long currentUserId() {
        return 1L;
    }

    /** Removed in 11.17.0: use findByUsername. */
    public static long findByName(String name) {
        return name == null ? 0L : Math.abs((long) name.hashCode());
    }
}
