package modprep.settings;

import java.util.Locale;

/**
 * One setting: its name (as in modprep.properties and `modprep settings`), whether it belongs to this process
 * or the whole installation, what it may be, its default (null: none), whether it is a secret (masked wherever
 * it is shown), what it is for, and, for an installation setting, whether it may change while a run is in progress.
 */
public record SettingKey(String name, Scope scope, SettingType type, String defaultText, boolean secret, String description,
                         boolean changeableDuringRun) {
    public enum Scope {
        /** Per process: flags, MODPREP_* environment variables, modprep.properties, defaults. */
        NODE,
        /** Shared by every node, in the database. */
        INSTALLATION
    }

    /**
     * By name and scope, written out: a record's generated equals and hashCode bootstrap method-handle machinery
     * that costs every CLI command milliseconds at start-up (keys are hashed in NodeSettings).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof SettingKey key && key.name.equals(name) && key.scope == scope;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + scope.ordinal();
    }

    /** The environment variable that sets it: MODPREP_ then the name in capitals, '-' as '_'. */
    public String envName() {
        return "MODPREP_".concat(name.toUpperCase(Locale.ROOT).replace('-', '_')); // no indy concat at start-up
    }

    /** The text as it may be shown: a secret's as ****, and so is a password inside a URL. */
    public String shown(String text) {
        if (text == null) {
            return "";
        }
        return secret ? "****" : text.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }
}
