package modprep.environment;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import modprep.ModprepException;
import modprep.platform.PlatformCatalog;

/**
 * Reads and checks a whole environment folder (DESIGN §3): {@code environment.properties} and every
 * folder under {@code modules/}. Nothing is stored here: a folder with any error gives that error.
 */
public final class EnvironmentFolderReader {
    private final PlatformCatalog catalog;
    private final ModuleFolderReader moduleReader = new ModuleFolderReader();

    public EnvironmentFolderReader(PlatformCatalog catalog) {
        this.catalog = catalog;
    }

    public EnvironmentSpec read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw ModprepException.badInput("environment folder " + folder + " does not exist or is not a folder");
        }
        Path file = folder.resolve("environment.properties");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw ModprepException.badInput("environment.properties is missing in " + folder);
        }
        var properties = new Properties();
        try {
            properties.load(new StringReader(ModuleFolderReader.readUtf8(file, "environment", "environment.properties")));
        } catch (IOException | IllegalArgumentException e) {
            throw ModprepException.badInput("environment: environment.properties is not a valid properties file: " + e.getMessage());
        }
        String versionText = properties.getProperty("platform.version");
        if (versionText == null) {
            throw ModprepException.badInput("environment: environment.properties has no 'platform.version' key");
        }
        modprep.platform.PlatformVersion version;
        try {
            version = catalog.require(versionText.strip());
        } catch (ModprepException e) {
            throw ModprepException.badInput("environment: environment.properties has an " + e.getMessage());
        }
        String progressive = properties.getProperty("progressive.enabled", "false").strip();
        if (!progressive.equals("true") && !progressive.equals("false")) {
            throw ModprepException.badInput("environment: environment.properties has progressive.enabled='"
                    + Names.abbreviate(progressive) + "': it must be true or false");
        }

        Path modulesFolder = folder.resolve("modules");
        if (!Files.isDirectory(modulesFolder, LinkOption.NOFOLLOW_LINKS)) {
            throw ModprepException.badInput("environment: the modules folder is missing in " + folder);
        }
        var modules = new ArrayList<ModuleSpec>();
        for (Path moduleFolder : list(modulesFolder)) {
            modules.add(moduleReader.read(moduleFolder, "modules/" + moduleFolder.getFileName()));
        }
        checkReferences(modules);
        return new EnvironmentSpec(version, Boolean.parseBoolean(progressive), List.copyOf(modules));
    }

    /** Every reference names a module of the environment, and a published module only published ones. */
    static void checkReferences(List<ModuleSpec> modules) {
        var byName = new HashMap<String, ModuleSpec>();
        for (var module : modules) {
            if (byName.putIfAbsent(module.name(), module) != null) {
                throw ModprepException.badInput("module " + module.name() + " appears twice");
            }
        }
        for (var module : modules) {
            for (String producer : module.references()) {
                var found = byName.get(producer);
                String file = "modules/" + module.name() + "/module.properties";
                if (found == null) {
                    throw ModprepException.badInput("module " + module.name() + ": " + file + " references "
                            + producer + ", which is not a module of this environment");
                }
                if (module.published() && !found.published()) {
                    throw ModprepException.badInput("module " + module.name() + ": " + file + " says it is published, but "
                            + "its producer " + producer + " is only uploaded: a published module can only use published ones");
                }
            }
        }
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            var modules = entries.filter(p -> Files.isDirectory(p)).sorted().toList();
            for (Path module : modules) {
                // Left out, a linked module would be missing without a word; followed, it could be anywhere.
                if (Files.isSymbolicLink(module)) {
                    throw ModprepException.badInput("environment: modules/" + Names.abbreviate(module.getFileName().toString())
                            + " is a link: links are not followed, copy the module folder into modules/ instead");
                }
            }
            return modules;
        } catch (IOException e) {
            throw ModprepException.badInput("environment: cannot list " + folder + ": " + e.getMessage());
        }
    }
}
