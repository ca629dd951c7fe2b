package modprep.settings;

import modprep.ModprepException;

/** A bad setting, in one line: which setting, from where, and what is allowed (exit code 2, HTTP 400). */
public final class SettingException extends ModprepException {
    private SettingException(String message) {
        super(Kind.BAD_INPUT, message);
    }

    static SettingException badValue(SettingKey key, String text, Source source, String why) {
        String shown = key.shown(text.strip());
        return new SettingException("bad setting " + key.name() + " (from " + source + "): '"
                + (shown.length() > 80 ? shown.substring(0, 79) + "…" : shown) + "' " + why + "; allowed: " + key.type().allowed());
    }

    static SettingException unknown(String name, Source source, SettingKey.Scope scope) {
        if (source.kind() == Source.Kind.ENV) {
            return new SettingException("unknown setting in environment variable " + name + "; known: " + String.join(", ",
                    SettingKeys.of(SettingKey.Scope.NODE).stream().map(SettingKey::envName).toList())
                    + " (installation settings are changed with `modprep settings set`)");
        }
        String cut = name.length() > 60 ? name.substring(0, 59) + "…" : name;
        return new SettingException("unknown setting '" + cut + "' (from " + source + "); known "
                + (scope == SettingKey.Scope.NODE ? "node" : "installation") + " settings: " + SettingKeys.names(scope)
                + (scope == SettingKey.Scope.NODE ? " (installation settings are changed with `modprep settings set`)" : ""));
    }

    /** Any other problem with a setting, already worded in one line. */
    public static SettingException of(String message) {
        return new SettingException(message);
    }
}
