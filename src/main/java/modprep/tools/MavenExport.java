package modprep.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import modprep.ModprepException;
import modprep.environment.Compilations;
import modprep.environment.EnvironmentRepository;
import modprep.environment.EnvironmentSnapshot;
import modprep.environment.ModuleGraph;
import modprep.platform.PlatformCatalog;
import modprep.platform.PlatformVersion;
import modprep.platform.SourceFile;

/**
 * Writes the environment as a Maven multi-module project, so that a Maven reactor compiles exactly
 * what modprep compiles (the benchmark's peer): the published code of every published module (read
 * from the database, as {@link EnvironmentSnapshot} sees it for the current platform version), one
 * Maven module per modprep module with its references as compile-scope dependencies, and one Maven
 * module with the current version's system components, on which every other module depends.
 *
 * <p>Maven cannot build a reference cycle, so the modules of each cycle (a unit of {@link ModuleGraph},
 * which modprep also compiles as one) are merged into one Maven module; the summary lists them.
 * Modules only uploaded are left out, as the preparation leaves them out.
 */
public final class MavenExport {
    public static final String GROUP_ID = "modprep.export";
    public static final String VERSION = "1.0";
    /** Pinned so that an offline build after one online warm-up finds everything in the local repository. */
    public static final String COMPILER_PLUGIN_VERSION = "3.14.0";
    public static final String RESOURCES_PLUGIN_VERSION = "3.3.1";

    private final Compilations compilations;
    private final PlatformCatalog catalog;

    public MavenExport(Compilations compilations, PlatformCatalog catalog) {
        this.compilations = compilations;
        this.catalog = catalog;
    }

    /** One exported Maven module: its artifactId, its folder (relative to the export), the modprep modules in it. */
    public record MavenModule(String artifactId, String folder, List<String> modules, List<String> dependencies) {
        public boolean merged() {
            return modules.size() > 1;
        }
    }

    /**
     * What was written.
     *
     * @param notCurrent published modules with no compilation of their code for the version yet (the
     *        preparation has not reached them, or they failed): Maven compiles them all the same
     */
    public record Summary(PlatformVersion version, int modules, int excluded, String systemArtifactId,
                          List<MavenModule> mavenModules, List<MavenModule> mergedCycles, List<String> notCurrent) {
    }

    /** Writes the project into {@code out}, which must be missing or empty. */
    public Summary export(Path out) {
        requireEmpty(out);
        var dsl = compilations.database().dsl();
        var version = new EnvironmentRepository(dsl).settings().version();
        var snapshot = EnvironmentSnapshot.load(dsl, version);
        var graph = snapshot.publishedGraph();

        // Every module's own name is reserved first, so that neither the system module nor a merged cycle takes one.
        var taken = new HashSet<String>(graph.modules());
        String systemId = unique("platform-system-" + version, taken);
        var mavenOf = new HashMap<String, String>();
        var units = new ArrayList<List<String>>();
        for (var unit : graph.units()) {
            String id = unit.size() == 1 ? unit.get(0) : unique(String.join("__", unit), taken);
            unit.forEach(m -> mavenOf.put(m, id));
            units.add(unit);
        }

        var mavenModules = new ArrayList<MavenModule>();
        try {
            Files.createDirectories(out);
            writeSystemModule(out.resolve(systemId), systemId, version);
            for (var unit : units) { // producers first, so the parent lists modules in a buildable order
                String id = mavenOf.get(unit.get(0));
                var dependencies = new TreeSet<String>();
                graph.externalProducers(unit).forEach(p -> dependencies.add(mavenOf.get(p)));
                var module = new MavenModule(id, "modules/" + id, unit, List.copyOf(dependencies));
                writeModule(out.resolve(module.folder()), module, systemId, snapshot);
                mavenModules.add(module);
            }
            writeParent(out, systemId, mavenModules, version);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Maven project in " + out + ": " + e.getMessage(), e);
        }
        int excluded = (int) snapshot.modules().values().stream().filter(m -> !m.published()).count();
        var notCurrent = graph.modules().stream().filter(m -> !snapshot.isCurrent(m)).sorted().toList();
        return new Summary(version, graph.modules().size(), excluded, systemId, List.copyOf(mavenModules),
                mavenModules.stream().filter(MavenModule::merged).toList(), notCurrent);
    }

    private static void requireEmpty(Path out) {
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                throw ModprepException.badInput(out + " is not a folder");
            }
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw ModprepException.badInput(out + " is not empty: export into a new or empty folder");
                }
            } catch (IOException e) {
                throw ModprepException.badInput("cannot read " + out + ": " + e.getMessage());
            }
        }
    }

    /** The name, or the name with a number after it when already taken (module names and artifactIds share one alphabet). */
    private static String unique(String name, Set<String> taken) {
        String candidate = name;
        for (int i = 2; taken.contains(candidate); i++) {
            candidate = name + "-" + i;
        }
        taken.add(candidate);
        return candidate;
    }

    private void writeSystemModule(Path folder, String systemId, PlatformVersion version) throws IOException {
        write(folder.resolve("pom.xml"), modulePom(systemId, "../pom.xml",
                "The system components of platform " + version + ", as modprep compiles them.", List.of()));
        for (SourceFile source : catalog.systemSources(version)) {
            write(folder.resolve("src/main/java").resolve(source.path()), source.content());
        }
    }

    private void writeModule(Path folder, MavenModule module, String systemId, EnvironmentSnapshot snapshot) throws IOException {
        var dependencies = new ArrayList<String>();
        dependencies.add(systemId);
        dependencies.addAll(module.dependencies());
        String description = module.merged()
                ? "Modules " + String.join(", ", module.modules()) + ": they reference each other (a cycle, which modprep "
                        + "compiles as one unit and Maven cannot build), so they are merged into one Maven module."
                : "Module " + module.modules().get(0) + " (application " + snapshot.module(module.modules().get(0)).application() + ").";
        write(folder.resolve("pom.xml"), modulePom(module.artifactId(), "../../pom.xml", description, dependencies));
        var written = new HashSet<String>();
        for (String name : module.modules()) {
            for (SourceFile source : compilations.sources(compilations.database().dsl(), snapshot.module(name).publishedSourcesSha256())) {
                String path = source.path().startsWith("src/") ? source.path().substring(4) : source.path();
                if (!written.add(path)) {
                    // Two modules of a merged cycle with a file at the same path: javac does not mind where a
                    // source lies, so keep the second one apart.
                    path = "_" + name + "/" + path;
                    written.add(path);
                }
                write(folder.resolve("src/main/java").resolve(path), source.content());
            }
        }
    }

    private static String modulePom(String artifactId, String parentPath, String description, List<String> dependencies) {
        var pom = new StringBuilder();
        pom.append("""
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>%s</groupId>
                    <artifactId>environment</artifactId>
                    <version>%s</version>
                    <relativePath>%s</relativePath>
                  </parent>
                  <artifactId>%s</artifactId>
                  <description>%s</description>
                """.formatted(GROUP_ID, VERSION, parentPath, artifactId, xml(description)));
        if (!dependencies.isEmpty()) {
            pom.append("  <dependencies>\n");
            for (String dependency : dependencies) {
                pom.append("""
                            <dependency>
                              <groupId>%s</groupId>
                              <artifactId>%s</artifactId>
                              <version>%s</version>
                              <scope>compile</scope>
                            </dependency>
                        """.formatted(GROUP_ID, dependency, VERSION));
            }
            pom.append("  </dependencies>\n");
        }
        return pom.append("</project>\n").toString();
    }

    private static void writeParent(Path out, String systemId, List<MavenModule> modules, PlatformVersion version) throws IOException {
        var list = new StringBuilder();
        list.append("    <module>").append(xml(systemId)).append("</module>\n");
        modules.forEach(m -> list.append("    <module>").append(xml(m.folder())).append("</module>\n"));
        var merged = new StringBuilder();
        modules.stream().filter(MavenModule::merged).forEach(m -> merged.append("       ").append(m.artifactId())
                .append(": ").append(String.join(", ", m.modules())).append('\n'));
        write(out.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <!--
                  Exported by `modprep export-maven`: the published code of every published module of a modprep
                  environment on platform %1$s, one Maven module per modprep module (its references are its
                  dependencies), plus the system components of %1$s. Build with `mvn -q compile` once (online, to
                  fill the local repository), then `mvn -o -q -T 2 compile`.
                  Maven cannot build reference cycles: the modules of each cycle are merged into one Maven module%2$s
                -->
                <project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>%3$s</groupId>
                  <artifactId>environment</artifactId>
                  <version>%4$s</version>
                  <packaging>pom</packaging>

                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <project.reporting.outputEncoding>UTF-8</project.reporting.outputEncoding>
                  </properties>

                  <modules>
                %5$s  </modules>

                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>%6$s</version>
                        <configuration>
                          <compilerArgs><arg>-proc:none</arg></compilerArgs>
                        </configuration>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-resources-plugin</artifactId>
                        <version>%7$s</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(version, merged.isEmpty() ? " (there is none here)." : ":\n" + comment(merged.toString()).stripTrailing(),
                GROUP_ID, VERSION, list, COMPILER_PLUGIN_VERSION, RESOURCES_PLUGIN_VERSION));
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Text for an XML comment, which may not hold "--" (module names may). */
    private static String comment(String text) {
        String safe = text;
        while (safe.contains("--")) {
            safe = safe.replace("--", "- -");
        }
        return safe;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
