package modprep.settings;

/** A setting's effective value, its text, and where it came from. */
public record SettingValue(SettingKey key, Object value, String text, Source source) {
    /** The text as it may be shown (a secret masked). */
    public String shown() {
        return key.shown(text);
    }

    /** Reads a setting's text, or refuses it with one line naming the setting, its source and what is allowed. */
    public static SettingValue read(SettingKey key, String text, Source source) {
        try {
            return new SettingValue(key, key.type().read(text), text.strip(), source);
        } catch (IllegalArgumentException e) {
            throw SettingException.badValue(key, text, source, e.getMessage());
        }
    }
}
