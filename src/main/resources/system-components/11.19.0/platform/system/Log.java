package platform.system;

/** The platform's application log. */
public final class Log {
    private Log() {
    }

    public static void info(String message) {
        System.out.println("[" + Version.NAME + "] " + message);
    }
}
