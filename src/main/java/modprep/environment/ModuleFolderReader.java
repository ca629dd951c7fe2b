package modprep.environment;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import modprep.ModprepException;
import modprep.platform.SourceFile;

/**
 * Reads one module folder ({@code module.properties}, optional {@code config.properties},
 * {@code src/**}{@code /*.java}) into a {@link ModuleSpec}. Every error names the module and the file.
 */
public final class ModuleFolderReader {
    static final long MAX_SOURCE_BYTES = 1_000_000;
    static final int MAX_SOURCE_FILES = 2_000;
    static final int MAX_CONFIG_KEY = 200;
    static final int MAX_CONFIG_VALUE = 4_000;

    /** Reads the module in {@code folder}; {@code shownAs} is how messages name the folder. */
    public ModuleSpec read(Path folder, String shownAs) {
        String name = folder.getFileName().toString();
        Names.requireModuleName(name, "module folder " + shownAs);
        String where = "module " + name;
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw bad(where, shownAs, "is not a folder");
        }
        var properties = readProperties(folder.resolve("module.properties"), where, shownAs + "/module.properties", true);
        String application = required(properties, "application", where, shownAs);
        if (application.isBlank() || application.length() > Names.MAX_LENGTH || application.chars().anyMatch(Character::isISOControl)) {
            throw bad(where, shownAs + "/module.properties", "has an invalid application name '"
                    + Names.abbreviate(application) + "' (1 to " + Names.MAX_LENGTH + " printable characters)");
        }
        String stateText = required(properties, "state", where, shownAs).strip();
        var state = PublishState.parse(stateText);
        if (state == null) {
            throw bad(where, shownAs + "/module.properties", "has state '" + Names.abbreviate(stateText)
                    + "': it must be 'published' or 'uploaded'");
        }
        var references = new ArrayList<String>();
        for (String reference : required(properties, "references", where, shownAs).split(",")) {
            String producer = reference.strip();
            if (producer.isEmpty()) {
                continue;
            }
            Names.requireModuleName(producer, where + ": " + shownAs + "/module.properties references");
            if (producer.equals(name)) {
                throw bad(where, shownAs + "/module.properties", "references itself");
            }
            if (!references.contains(producer)) {
                references.add(producer);
            }
        }
        var configuration = readConfiguration(folder.resolve("config.properties"), where, shownAs + "/config.properties");
        var sources = readSources(folder, where, shownAs);
        return new ModuleSpec(name, application.strip(), state == PublishState.PUBLISHED, List.copyOf(references),
                configuration, sources);
    }

    private static Map<String, String> readConfiguration(Path file, String where, String shownAs) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Map.of();
        }
        var properties = readProperties(file, where, shownAs, false);
        var configuration = new LinkedHashMap<String, String>();
        for (String key : properties.stringPropertyNames().stream().sorted().toList()) {
            String value = properties.getProperty(key);
            if (key.isBlank() || key.length() > MAX_CONFIG_KEY) {
                throw bad(where, shownAs, "has a configuration key that is empty or longer than " + MAX_CONFIG_KEY + " characters");
            }
            if (value.length() > MAX_CONFIG_VALUE) {
                throw bad(where, shownAs, "has a value for '" + Names.abbreviate(key) + "' longer than " + MAX_CONFIG_VALUE + " characters");
            }
            configuration.put(key, value);
        }
        return configuration;
    }

    private static Properties readProperties(Path file, String where, String shownAs, boolean required) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw bad(where, shownAs, required ? "is missing" : "is not a regular file");
        }
        var properties = new Properties();
        try {
            properties.load(new StringReader(readUtf8(file, where, shownAs)));
        } catch (IOException | IllegalArgumentException e) {
            throw bad(where, shownAs, "is not a valid properties file: " + e.getMessage());
        }
        return properties;
    }

    private static String required(Properties properties, String key, String where, String folder) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw bad(where, folder + "/module.properties", "has no '" + key + "' key");
        }
        return value;
    }

    private static List<SourceFile> readSources(Path folder, String where, String shownAs) {
        Path src = folder.resolve("src");
        if (!Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
            throw bad(where, shownAs + "/src", "is missing: a module needs at least one .java source");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(src)) {
            files = walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw bad(where, shownAs + "/src", "cannot be read: " + e.getMessage());
        }
        var sources = new ArrayList<SourceFile>();
        for (Path file : files) {
            String relative = folder.relativize(file).toString().replace('\\', '/');
            if (!relative.endsWith(".java")) {
                continue;
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw bad(where, shownAs + "/" + relative, "is not a regular file (links are not followed)");
            }
            if (sources.size() >= MAX_SOURCE_FILES) {
                throw bad(where, shownAs + "/src", "has more than " + MAX_SOURCE_FILES + " .java files");
            }
            sources.add(new SourceFile(relative, readUtf8(file, where, shownAs + "/" + relative)));
        }
        if (sources.isEmpty()) {
            throw bad(where, shownAs + "/src", "has no .java file");
        }
        return sources;
    }

    /** Reads a file as strict UTF-8: a file in another encoding, or binary, is an error. */
    static String readUtf8(Path file, String where, String shownAs) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_SOURCE_BYTES) {
                throw bad(where, shownAs, "is larger than " + MAX_SOURCE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw bad(where, shownAs, "cannot be read: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        return decodeUtf8(bytes, where, shownAs);
    }

    static String decodeUtf8(byte[] bytes, String where, String shownAs) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\0') >= 0) {
                throw bad(where, shownAs, "is binary, not UTF-8 text");
            }
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw bad(where, shownAs, "is not UTF-8 text");
        }
    }

    static ModprepException bad(String where, String file, String problem) {
        return ModprepException.badInput(where + ": " + file + " " + problem);
    }
}
