package modprep.settings;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a setting's text may be, in words ({@link #allowed()}), and how it is read into a value. A text that
 * does not fit is refused with an {@link IllegalArgumentException} saying why. A kind and a switch, not a
 * lambda per type: every CLI command reads the registry at start-up, and each lambda costs it time.
 */
public final class SettingType {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private enum Kind { INTEGER, BOOL, ONE_OF, DURATION, RETENTION, TEXT, PATH, READABLE_FILE, DATABASE_URL, ADDRESS, ADDRESS_LIST }

    private final Kind kind;
    private final long min;
    private final long max;
    private final List<String> values;

    private SettingType(Kind kind, long min, long max, List<String> values) {
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.values = values;
    }

    /** What is allowed, in words (built when asked: string concatenation's first uses cost start-up time too). */
    public String allowed() {
        return switch (kind) {
            case INTEGER -> "a whole number from " + min + " to " + max;
            case BOOL -> "true or false";
            case ONE_OF -> "one of " + String.join(", ", values);
            case DURATION -> "a duration from " + Durations.format(Duration.ofMillis(min)) + " to "
                    + Durations.format(Duration.ofMillis(max)) + " (a number then ms, s, m, h or d: 15s, 2m)";
            case RETENTION -> "a duration of at least 1d (90d, 12h is too short), or 0 or off to keep for ever";
            case TEXT -> "any text of up to " + max + " characters";
            case PATH -> "a file or folder path";
            case READABLE_FILE -> "the path of a readable file";
            case DATABASE_URL -> "a PostgreSQL URL without a password: postgresql://host:5432/modprep?user=modprep (or jdbc:postgresql://…)";
            case ADDRESS -> "an IP address (0.0.0.0 for all, 127.0.0.1, ::1)";
            case ADDRESS_LIST -> "IP addresses or CIDR ranges separated by commas (10.0.0.5, 10.1.0.0/16), or nothing";
        };
    }

    /** The value of a text; throws IllegalArgumentException (its message says why) when it does not fit. */
    public Object read(String text) {
        String t = text.strip();
        return switch (kind) {
            case INTEGER -> readInteger(t);
            case BOOL -> readBool(t);
            case ONE_OF -> readOneOf(t);
            case DURATION -> readDuration(t);
            case RETENTION -> readRetention(t);
            case TEXT -> readText(t);
            case PATH -> readPath(t);
            case READABLE_FILE -> readReadableFile(t);
            case DATABASE_URL -> readDatabaseUrl(t);
            case ADDRESS -> readAddress(t);
            case ADDRESS_LIST -> IpAddresses.readList(t);
        };
    }

    static SettingType integer(int min, int max) {
        return new SettingType(Kind.INTEGER, min, max, null);
    }

    /** true or false (also 1/0, yes/no, on/off: MODPREP_DEBUG=1 has always meant on). */
    static SettingType bool() {
        return new SettingType(Kind.BOOL, 0, 0, null);
    }

    static SettingType oneOf(String... values) {
        return new SettingType(Kind.ONE_OF, 0, 0, List.of(values));
    }

    /** A duration such as 15s, 2m, 90d, between min and max. */
    static SettingType duration(Duration min, Duration max) {
        return new SettingType(Kind.DURATION, min.toMillis(), max.toMillis(), null);
    }

    /** How long something is kept: a duration of at least a day, or 0/off for ever (an empty Optional). */
    static SettingType retention() {
        return new SettingType(Kind.RETENTION, 0, 0, null);
    }

    static SettingType text(int maxLength) {
        return new SettingType(Kind.TEXT, 1, maxLength, null);
    }

    static SettingType path() {
        return new SettingType(Kind.PATH, 0, 0, null);
    }

    /** A file that exists and can be read (a keystore). */
    static SettingType readableFile() {
        return new SettingType(Kind.READABLE_FILE, 0, 0, null);
    }

    static SettingType databaseUrl() {
        return new SettingType(Kind.DATABASE_URL, 0, 0, null);
    }

    /** An IP address literal, never looked up in DNS. */
    static SettingType address() {
        return new SettingType(Kind.ADDRESS, 0, 0, null);
    }

    /** A comma-separated list of IP addresses and CIDR ranges (10.0.0.0/8), possibly empty. */
    static SettingType addressList() {
        return new SettingType(Kind.ADDRESS_LIST, 0, 0, null);
    }

    private Integer readInteger(String text) {
        long value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not a whole number");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("is out of range");
        }
        return (int) value;
    }

    private static Boolean readBool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("is not true or false");
        };
    }

    private String readOneOf(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!values.contains(lower)) {
            throw new IllegalArgumentException("is not allowed");
        }
        return lower;
    }

    private Duration readDuration(String text) {
        Duration value = parseDuration(text);
        if (value.toMillis() < min || value.toMillis() > max) {
            throw new IllegalArgumentException("is out of range");
        }
        return value;
    }

    private static Optional<Duration> readRetention(String text) {
        if (text.equals("0") || text.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        Duration value = parseDuration(text);
        if (value.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("is shorter than a day");
        }
        return Optional.of(value);
    }

    private String readText(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new IllegalArgumentException("has control characters");
            }
        }
        if (text.length() > max) {
            throw new IllegalArgumentException("is too long");
        }
        return text;
    }

    private static Path readPath(String text) {
        try {
            return Path.of(text.isEmpty() ? "." : text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("is not a path: " + e.getReason());
        }
    }

    private static Path readReadableFile(String text) {
        Path file = readPath(text);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("is not a readable file");
        }
        return file;
    }

    private static String readDatabaseUrl(String text) {
        try {
            modprep.db.DatabaseLocation.parse(text, null);
        } catch (modprep.ModprepException e) {
            throw new IllegalArgumentException("is refused: " + e.getMessage().replaceFirst("^--database: ", ""));
        }
        return text;
    }

    private static String readAddress(String text) {
        if (!IpAddresses.isLiteral(text)) {
            throw new IllegalArgumentException("is not an IP address");
        }
        return text;
    }

    private static Duration parseDuration(String text) {
        var m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a duration");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
