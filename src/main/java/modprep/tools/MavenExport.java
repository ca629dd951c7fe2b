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
import java.util.Locale;
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
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

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
 *
 * <p>The pom.xml files come from the templates {@code modprep/tools/parent-pom.xml} and
 * {@code module-pom.xml}, rendered by Thymeleaf in its XML mode, which escapes every value written
 * into them (application names may hold any printable character).
 */
public final class MavenExport {
    public static final String GROUP_ID = "modprep.export";
    public static final String PARENT_ARTIFACT_ID = "environment";
    public static final String VERSION = "1.0";

    private final Compilations compilations;
    private final PlatformCatalog catalog;
    private final TemplateEngine poms = pomTemplates();

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
            var modules = new ArrayList<String>();
            modules.add(systemId);
            mavenModules.forEach(m -> modules.add(m.folder()));
            var merged = mavenModules.stream().filter(MavenModule::merged)
                    .map(m -> m.artifactId() + ": " + String.join(", ", m.modules())).toList();
            writePom(out.resolve("pom.xml"), "parent", Map.of("platform", version.toString(), "modules", modules, "merged", merged));
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
        writePom(folder.resolve("pom.xml"), "module", Map.of("artifactId", systemId, "parentPath", "../pom.xml",
                "description", "The system components of platform " + version + ", as modprep compiles them.",
                "dependencies", List.of()));
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
        writePom(folder.resolve("pom.xml"), "module", Map.of("artifactId", module.artifactId(), "parentPath", "../../pom.xml",
                "description", description, "dependencies", dependencies));
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

    /** Writes a pom.xml from its template; the values every template uses are added here. */
    private void writePom(Path file, String template, Map<String, Object> variables) throws IOException {
        var context = new Context(Locale.ROOT, variables);
        context.setVariable("groupId", GROUP_ID);
        context.setVariable("parentArtifactId", PARENT_ARTIFACT_ID);
        context.setVariable("version", VERSION);
        Files.createDirectories(file.getParent());
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            poms.process(template, context, out);
        }
    }

    private static TemplateEngine pomTemplates() {
        var resolver = new ClassLoaderTemplateResolver(MavenExport.class.getClassLoader());
        resolver.setPrefix("modprep/tools/");
        resolver.setSuffix("-pom.xml");
        resolver.setTemplateMode(TemplateMode.XML);
        resolver.setCharacterEncoding(StandardCharsets.UTF_8.name());
        var engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        return engine;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
