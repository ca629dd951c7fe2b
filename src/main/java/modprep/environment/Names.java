package modprep.environment;

import java.util.regex.Pattern;
import modprep.ModprepException;

/** The rules for module and application names. */
public final class Names {
    public static final int MAX_LENGTH = 100;
    private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_LENGTH + "}");

    private Names() {
    }

    public static boolean isValidModuleName(String name) {
        return name != null && MODULE_NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    /** Throws a clear error unless the name is a valid module name. */
    public static String requireModuleName(String name, String where) {
        if (!isValidModuleName(name)) {
            throw ModprepException.badInput(where + ": '" + abbreviate(name) + "' is not a valid module name (letters, "
                    + "digits, '_', '-' and '.' only, at most " + MAX_LENGTH + " characters)");
        }
        return name;
    }

    /** Shortens hostile or overlong text before it goes into a message. */
    public static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }
}
