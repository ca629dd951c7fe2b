package modprep.settings;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a setting's text may be, in words ({@link #allowed()}), and how it is read into a value. A text that
 * does not fit is refused with an {@link IllegalArgumentException} saying why.
 */
public record SettingType(String allowed, Function<String, Object> reader) {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** The value of a text; throws IllegalArgumentException (its message says why) when it does not fit. */
    public Object read(String text) {
        return reader.apply(text.strip());
    }

    static SettingType integer(int min, int max) {
        return new SettingType("a whole number from " + min + " to " + max, text -> {
            int value;
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not a whole number");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("is out of range");
            }
            return value;
        });
    }

    /** true or false (also 1/0, yes/no, on/off: MODPREP_DEBUG=1 has always meant on). */
    static SettingType bool() {
        return new SettingType("true or false", text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("is not true or false");
        });
    }

    static SettingType oneOf(String... values) {
        return new SettingType("one of " + String.join(", ", values), text -> {
            String lower = text.toLowerCase(Locale.ROOT);
            if (!List.of(values).contains(lower)) {
                throw new IllegalArgumentException("is not allowed");
            }
            return lower;
        });
    }

    /** A duration such as 15s, 2m, 90d, between min and max. */
    static SettingType duration(Duration min, Duration max) {
        return new SettingType("a duration from " + Durations.format(min) + " to " + Durations.format(max)
                + " (a number then ms, s, m, h or d: 15s, 2m)", text -> {
            Duration value = parseDuration(text);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException("is out of range");
            }
            return value;
        });
    }

    /** How long something is kept: a duration of at least a day, or 0/off for ever (an empty Optional). */
    static SettingType retention() {
        return new SettingType("a duration of at least 1d (90d, 12h is too short), or 0 or off to keep for ever", text -> {
            if (text.equals("0") || text.equalsIgnoreCase("off")) {
                return Optional.<Duration>empty();
            }
            Duration value = parseDuration(text);
            if (value.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("is shorter than a day");
            }
            return Optional.of(value);
        });
    }

    static SettingType text(int maxLength) {
        return new SettingType("any text of up to " + maxLength + " characters", text -> {
            if (text.isEmpty() || text.length() > maxLength || text.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(text.isEmpty() ? "is empty" : "is too long or has control characters");
            }
            return text;
        });
    }

    static SettingType path() {
        return new SettingType("a file or folder path", text -> {
            try {
                return Path.of(text.isEmpty() ? "." : text);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("is not a path: " + e.getReason());
            }
        });
    }

    /** A file that exists and can be read (a keystore). */
    static SettingType readableFile() {
        return new SettingType("the path of a readable file", text -> {
            Path file = (Path) path().read(text);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException("is not a readable file");
            }
            return file;
        });
    }

    static SettingType jdbcUrl() {
        return new SettingType("a JDBC URL (jdbc:h2:… or jdbc:postgresql://HOST/DATABASE)", text -> {
            if (!text.startsWith("jdbc:h2:") && !text.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("is not a jdbc:h2: or jdbc:postgresql: URL");
            }
            return text;
        });
    }

    /** An IP address literal, never looked up in DNS. */
    static SettingType address() {
        return new SettingType("an IP address (0.0.0.0 for all, 127.0.0.1, ::1)", text -> {
            if (!isAddress(text)) {
                throw new IllegalArgumentException("is not an IP address");
            }
            return text;
        });
    }

    /** A comma-separated list of IP addresses and CIDR ranges (10.0.0.0/8), possibly empty. */
    static SettingType addressList() {
        return new SettingType("IP addresses or CIDR ranges separated by commas (10.0.0.5, 10.1.0.0/16), or nothing", text -> {
            var list = new ArrayList<String>();
            for (String part : text.split(",")) {
                String entry = part.strip();
                if (entry.isEmpty()) {
                    continue;
                }
                String[] cidr = entry.split("/", -1);
                int bits = cidr[0].contains(":") ? 128 : 32;
                boolean ok = cidr.length <= 2 && isAddress(cidr[0])
                        && (cidr.length == 1 || cidr[1].matches("\\d{1,3}") && Integer.parseInt(cidr[1]) <= bits);
                if (!ok) {
                    throw new IllegalArgumentException("has '" + entry + "', which is not an IP address or CIDR range");
                }
                list.add(entry);
            }
            return List.copyOf(list);
        });
    }

    private static boolean isAddress(String text) {
        var v4 = IPV4.matcher(text);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!text.contains(":") || !text.matches("[0-9a-fA-F:.]+")) {
            return false; // a host name: no DNS look-up here
        }
        try {
            InetAddress.getByName(text); // an IPv6 literal: parsed, not looked up
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
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
