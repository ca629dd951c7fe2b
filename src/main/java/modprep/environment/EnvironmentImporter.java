package modprep.environment;

import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modprep.ModprepException;
import modprep.db.Sha256;
import modprep.platform.ClassFiles;
import modprep.platform.CompileUnit;
import modprep.platform.JavaSourceCompiler;
import modprep.platform.PlatformCatalog;

/**
 * Imports an environment folder (DESIGN §3), all or nothing: every module is read and checked, every
 * published module is compiled with the environment's version, and only then is everything stored, in
 * one transaction. Any error leaves the database as it was and names the module and the file.
 */
public final class EnvironmentImporter {
    public static final int DEFAULT_GROUP_SIZE = 10;

    private final Compilations compilations;
    private final EnvironmentFolderReader reader;
    private final Clock clock;

    public EnvironmentImporter(Compilations compilations, PlatformCatalog catalog, Clock clock) {
        this.compilations = compilations;
        this.reader = new EnvironmentFolderReader(catalog);
        this.clock = clock;
    }

    /** What an import stored. */
    public record Summary(String version, int modules, int published, int applications, long compileMillis) {
    }

    public Summary importFolder(Path folder, String actor) {
        refuseIfNotEmpty();
        return importSpec(reader.read(folder), actor);
    }

    /**
     * Serve's first start: imports the folder into an empty database, or does nothing (empty) when it holds an
     * environment already, one that another node starting at the same moment stored meanwhile included.
     */
    public java.util.Optional<Summary> importFolderIfEmpty(Path folder, String actor) {
        if (new EnvironmentRepository(compilations.database().dsl()).exists()) {
            return java.util.Optional.empty();
        }
        return store(reader.read(folder), actor);
    }

    public Summary importSpec(EnvironmentSpec spec, String actor) {
        refuseIfNotEmpty();
        return store(spec, actor).orElseThrow(() -> refusal(compilations.database().dsl()));
    }

    /**
     * The import, or empty when an environment was stored meanwhile (by another import committed first).
     * The published modules compile on their own thread while this one writes, in the import's transaction,
     * everything that does not depend on the compiling: the modules, their code and their references.
     */
    private java.util.Optional<Summary> store(EnvironmentSpec spec, String actor) {
        EnvironmentFolderReader.checkReferences(spec.modules()); // a module given twice would silently be kept once
        var modules = new LinkedHashMap<String, ModuleSpec>();
        spec.modules().forEach(m -> modules.put(m.name(), m));
        var archives = new HashMap<String, byte[]>();
        var sourcesShas = new HashMap<String, String>();
        modules.values().forEach(m -> {
            byte[] archive = Compilations.sourcesArchive(m.sources());
            archives.put(m.name(), archive);
            sourcesShas.put(m.name(), Sha256.of(archive));
        });
        var now = OffsetDateTime.now(clock);
        var compiled = new Compiled();
        boolean stored = compilations.database().transaction(tx -> {
            // The environment's row first: an import committed meanwhile makes it do nothing, and this one stops here.
            if (!new EnvironmentRepository(tx).create(spec.version(), spec.progressive(), DEFAULT_GROUP_SIZE, now)) {
                return false;
            }
            var compiling = new java.util.concurrent.FutureTask<>(() -> compilePublished(spec, modules, sourcesShas, compiled), null);
            var compiler = new Thread(compiling, "modprep-import");
            compiler.setDaemon(true);
            compiler.start();
            try {
                compilations.saveSystemComponents(tx, spec.version());
                var writer = new ImportWriter(tx, now, actor);
                writer.modules(modules, archives, sourcesShas);
                awaitCompiled(compiling);
                writer.compilations(spec.version(), modules, compiled.inputs, compiled.jars, compilations);
                new EnvironmentRepository(tx).importCompiled(compiled.millis,
                        modules.values().stream().filter(ModuleSpec::published).mapToInt(m -> m.sources().size()).sum());
            } finally {
                compiling.cancel(true); // the writing failed: the compiling stops at its next level
            }
            return true;
        });
        if (!stored) {
            return java.util.Optional.empty();
        }
        int published = (int) modules.values().stream().filter(ModuleSpec::published).count();
        int applications = (int) modules.values().stream().map(ModuleSpec::application).distinct().count();
        return java.util.Optional.of(new Summary(spec.version().toString(), modules.size(), published, applications, compiled.millis));
    }

    /** What the compiling thread hands over: every published module's classes, build inputs and jar. */
    private static final class Compiled {
        final Map<String, ClassFiles> classes = new HashMap<>();
        final Map<String, String> inputs = new HashMap<>();
        final Map<String, Compilations.Jar> jars = new HashMap<>();
        long millis;
    }

    private static void awaitCompiled(java.util.concurrent.FutureTask<?> compiling) {
        try {
            compiling.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the import compiled", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause; // a module that does not compile: the transaction stores nothing
            }
            throw new IllegalStateException("the import's compiling failed: " + e.getCause(), e.getCause());
        }
    }

    /** Compiles every published module, producers first, a level of the graph at a time. */
    private void compilePublished(EnvironmentSpec spec, Map<String, ModuleSpec> modules, Map<String, String> sourcesShas,
                                  Compiled compiled) {
        long started = System.nanoTime();
        var producers = new LinkedHashMap<String, List<String>>();
        modules.values().stream().filter(ModuleSpec::published).forEach(m -> producers.put(m.name(), m.references()));
        var graph = new ModuleGraph(producers);
        for (var level : levels(graph)) {
            if (Thread.currentThread().isInterrupted()) {
                return; // the import's writing failed: nothing of this is stored
            }
            var units = new ArrayList<CompileUnit>();
            for (var unit : level) {
                var sources = new LinkedHashMap<String, String>();
                unit.forEach(m -> sources.put(m, sourcesShas.get(m)));
                var producerBuilds = graph.externalProducers(unit).stream().map(p ->
                        new BuildInputs.ProducerBuild(p, compiled.jars.get(p).sha256(), compiled.inputs.get(p))).toList();
                compiled.inputs.putAll(BuildInputs.of(spec.version(), sources, producerBuilds));
                var classPath = compilations.classPathInMemory(spec.version(), graph.externalProducers(unit), graph, unit, compiled.classes);
                units.add(new CompileUnit(unit.stream().map(m ->
                        new JavaSourceCompiler.ModuleSources(m, modules.get(m).sources())).toList(), classPath));
            }
            var outcomes = compilations.compile(spec.version(), units).outcomes();
            for (var unit : level) {
                for (String m : unit) {
                    var outcome = outcomes.get(m);
                    if (!outcome.succeeded()) {
                        throw ModprepException.badInput("module " + m + " is published but does not compile with "
                                + spec.version() + ":\n" + (outcome.errors().isEmpty()
                                ? "it is on a reference cycle with " + String.join(", ", outcome.blockedBy()) + ", which does not compile"
                                : indent(outcome.renderedErrors(), "modules/" + m + "/")));
                    }
                    compiled.classes.put(m, outcome.classes());
                    compiled.jars.put(m, compilations.jar(outcome.classes()));
                }
            }
        }
        compiled.millis = (System.nanoTime() - started) / 1_000_000;
    }

    /** Units grouped by depth: a unit's producers are all in earlier levels. */
    static List<List<List<String>>> levels(ModuleGraph graph) {
        var depth = new HashMap<String, Integer>();
        var levels = new ArrayList<List<List<String>>>();
        for (var unit : graph.units()) {
            int level = graph.externalProducers(unit).stream().mapToInt(p -> depth.get(p) + 1).max().orElse(0);
            unit.forEach(m -> depth.put(m, level));
            while (levels.size() <= level) {
                levels.add(new ArrayList<>());
            }
            levels.get(level).add(unit);
        }
        return levels;
    }

    private static String indent(String errors, String prefix) {
        return String.join("\n", errors.lines().map(l -> l.startsWith("src/") ? prefix + l : l).toList());
    }

    private void refuseIfNotEmpty() {
        if (new EnvironmentRepository(compilations.database().dsl()).exists()) {
            throw refusal(compilations.database().dsl());
        }
    }

    private static ModprepException refusal(org.jooq.DSLContext dsl) {
        return ModprepException.refused(modprep.db.Database.named(dsl) + " already holds an environment: import into a new "
                + (modprep.db.Database.inDataFolder(dsl) ? "data folder (--data DIR)" : "database (--database URL)")
                + ", or upload and publish modules one by one");
    }
}
