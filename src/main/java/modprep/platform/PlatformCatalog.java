package modprep.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import modprep.ModprepException;

/**
 * The platform versions modprep knows and the Java sources of each one's system components, shipped
 * inside modprep under {@code system-components/<version>/}. Adding a version means adding its folder
 * and a line to {@code versions.list}.
 */
public final class PlatformCatalog {
    private static final String ROOT = "/system-components/";
    private static final List<String> FILES = List.of(
            "platform/system/Users.java", "platform/system/Log.java", "platform/system/Version.java");

    private final List<PlatformVersion> versions;

    public PlatformCatalog() {
        versions = readResource("versions.list").lines().map(String::strip).filter(l -> !l.isEmpty())
                .map(PlatformVersion::parseOrNull).sorted().toList();
    }

    /** Every known version, oldest first. */
    public List<PlatformVersion> versions() {
        return versions;
    }

    public boolean isKnown(PlatformVersion version) {
        return versions.contains(version);
    }

    /** The known version the text names, or a clear error that lists the known ones. */
    public PlatformVersion require(String text) {
        var version = PlatformVersion.parseOrNull(text);
        if (version == null || !isKnown(version)) {
            throw ModprepException.badInput("unknown platform version '" + text + "': modprep knows "
                    + String.join(", ", versions.stream().map(PlatformVersion::toString).toList()));
        }
        return version;
    }

    public List<SourceFile> systemSources(PlatformVersion version) {
        if (!isKnown(version)) {
            throw new IllegalArgumentException("unknown platform version " + version);
        }
        return FILES.stream().map(f -> new SourceFile(f, readResource(version + "/" + f))).toList();
    }

    /**
     * I7: the APIs a version removed, each ({@code Class.member}) with what replaces it, read from
     * {@code removed.properties} beside its system components (none when the file is absent).
     */
    public java.util.Map<String, String> removals(PlatformVersion version) {
        var removals = new java.util.LinkedHashMap<String, String>();
        try (InputStream in = PlatformCatalog.class.getResourceAsStream(ROOT + version + "/removed.properties")) {
            if (in == null) {
                return removals;
            }
            var properties = new java.util.Properties();
            properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            properties.stringPropertyNames().stream().sorted().forEach(k -> removals.put(k.strip(), properties.getProperty(k).strip()));
            return removals;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readResource(String path) {
        try (InputStream in = PlatformCatalog.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + ROOT + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
