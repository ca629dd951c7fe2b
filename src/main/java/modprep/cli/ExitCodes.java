package modprep.cli;

import modprep.ModprepException;

/** What each exit code of the CLI means. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A run finished with errors, or a publish did not compile. */
    public static final int FAILED = 1;
    /** Bad input: a malformed folder, argument or value (picocli's usage errors also exit 2). */
    public static final int BAD_INPUT = 2;
    /** Refused by a rule: locked (P7), producers not prepared (P8), a run in progress, a downgrade. */
    public static final int REFUSED = 3;
    public static final int NOT_FOUND = 4;
    /** Could not be carried out: the data folder's disk is full, its database cannot be written, an internal error. */
    public static final int ERROR = 5;

    private ExitCodes() {
    }

    static int of(ModprepException e) {
        return switch (e.kind()) {
            case BAD_INPUT -> BAD_INPUT;
            case NOT_FOUND -> NOT_FOUND;
            case REFUSED -> REFUSED;
        };
    }
}
