package modprep.settings;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A modprep.properties file: one {@code name = value} per line ({@code name: value} too), {@code #} or {@code !}
 * comments, blank lines. Values are taken as written (no escapes, so C:\modprep stays as it is). Each value
 * remembers its line, so that an error says file:line.
 */
final class SettingsFile {
    static final String NAME = "modprep.properties";

    private SettingsFile() {
    }

    /** The file's settings by name, each with its text and its source (file:line). */
    static Map<String, Given> read(Path file, String givenBy) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw SettingException.of("the settings file " + file.toAbsolutePath().normalize() + " (" + givenBy
                    + ") cannot be read: it is not UTF-8 text; allowed: a UTF-8 file of name = value lines");
        } catch (IOException e) {
            throw SettingException.of("the settings file " + file.toAbsolutePath().normalize() + " (" + givenBy
                    + ") cannot be read: " + why(e) + "; allowed: a readable file of name = value lines");
        }
        var settings = new LinkedHashMap<String, Given>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            var source = Source.file(file, i + 1);
            int equals = line.indexOf('=');
            int colon = line.indexOf(':');
            int at = equals < 0 ? colon : colon < 0 ? equals : Math.min(equals, colon);
            if (at <= 0) {
                throw SettingException.of("the settings file line " + source + " is not 'name = value'; allowed: "
                        + "name = value, # comments and blank lines");
            }
            String name = line.substring(0, at).strip();
            var key = SettingKeys.find(SettingKey.Scope.NODE, name)
                    .orElseThrow(() -> SettingException.unknown(name, source, SettingKey.Scope.NODE));
            if (settings.containsKey(name)) {
                throw SettingException.of("setting " + name + " is set twice in the settings file (" + settings.get(name).source()
                        + " and line " + (i + 1) + "); allowed: once");
            }
            settings.put(key.name(), new Given(line.substring(at + 1).strip(), source));
        }
        return settings;
    }

    private static String why(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "there is no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }

    /**
     * Adds lines to a settings file (made readable by its owner only when there is none): written beside it and
     * renamed into place, so a crash leaves the old file or the new one, never half of it.
     */
    static void append(Path file, String comment, Map<String, String> settings) {
        try {
            String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            var text = new StringBuilder(before);
            if (!before.isEmpty() && !before.endsWith("\n")) {
                text.append('\n');
            }
            text.append("# ").append(comment).append('\n');
            settings.forEach((name, value) -> text.append(name).append(" = ").append(value).append('\n'));
            Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            var permissions = Files.exists(file) ? Files.getPosixFilePermissions(file)
                    : java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
            Files.createFile(partial, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(permissions));
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the settings file " + file + ": " + why(e), e);
        }
    }
}
