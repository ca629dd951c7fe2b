package modprep.settings;

/** A setting's text as one source gives it, before it is read. */
public record Given(String text, Source source) {
    /** A setting given on the command line with this flag. */
    public static Given flag(String flag, Object value) {
        return new Given(String.valueOf(value), Source.flag(flag));
    }
}
