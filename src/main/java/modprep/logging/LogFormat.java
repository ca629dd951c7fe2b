package modprep.logging;

import java.util.Locale;

/** How log lines are written: free text for people, one JSON object per line for log collectors. */
public enum LogFormat {
    TEXT, JSON;

    /** {@code text} or {@code json}, in any case; anything else is refused with what is allowed. */
    public static LogFormat parse(String value) {
        for (LogFormat format : values()) {
            if (format.name().equalsIgnoreCase(value == null ? "" : value.strip())) {
                return format;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a log format (allowed: text, json)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
