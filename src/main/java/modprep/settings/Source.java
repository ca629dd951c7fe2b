package modprep.settings;

/** Where a setting's value came from: a flag, an environment variable, a line of a file, the database or the default. */
public record Source(Kind kind, String where) {
    public enum Kind {
        FLAG, ENV, FILE, DATABASE, DEFAULT, REQUEST
    }

    public static Source flag(String name) {
        return new Source(Kind.FLAG, name);
    }

    public static Source env(String name) {
        return new Source(Kind.ENV, name);
    }

    public static Source file(java.nio.file.Path file, int line) {
        return new Source(Kind.FILE, file.toAbsolutePath().normalize() + ":" + line);
    }

    /** A value someone asks to store: `modprep settings set`, the Settings page. */
    public static Source request(String where) {
        return new Source(Kind.REQUEST, where);
    }

    public static final Source DATABASE = new Source(Kind.DATABASE, "database");
    public static final Source DEFAULT = new Source(Kind.DEFAULT, "default");

    @Override
    public String toString() {
        return where;
    }
}
