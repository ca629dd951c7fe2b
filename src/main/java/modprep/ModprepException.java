package modprep;

/**
 * A request modprep will not carry out. Each kind maps to one answer: a CLI exit code, an HTTP status.
 * The message is written for the person who asked: it names what was wrong and what to do.
 */
public class ModprepException extends RuntimeException {
    public enum Kind {
        /** Bad input: a malformed file, field or argument (HTTP 400). */
        BAD_INPUT,
        /** Something named that does not exist (HTTP 404). */
        NOT_FOUND,
        /** Refused by a rule: locked, producers not prepared, a run in progress (HTTP 409). */
        REFUSED
    }

    private final Kind kind;

    public ModprepException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static ModprepException badInput(String message) {
        return new ModprepException(Kind.BAD_INPUT, message);
    }

    public static ModprepException notFound(String message) {
        return new ModprepException(Kind.NOT_FOUND, message);
    }

    public static ModprepException refused(String message) {
        return new ModprepException(Kind.REFUSED, message);
    }
}
