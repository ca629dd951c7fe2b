package platform.system;

/** The platform version these system components belong to. */
public final class Version {
    public static final String NAME = "11.19.0";

    private Version() {
    }
}
