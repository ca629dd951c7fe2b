package modprep.status;

/** How a module's compilation for a version came to be (stored in module_build.origin). */
public enum BuildOrigin implements Coded {
    IMPORTED("imported"),
    PUBLISHED("published"),
    PREPARED("prepared");

    private final String code;

    BuildOrigin(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static BuildOrigin of(String code) {
        return Coded.of(BuildOrigin.class, code);
    }
}
