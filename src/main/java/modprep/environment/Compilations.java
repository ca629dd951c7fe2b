package modprep.environment;

import static modprep.db.schema.Tables.COMPILATION;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import modprep.db.BlobStore;
import modprep.db.Database;
import modprep.platform.BatchCompiler;
import modprep.platform.ClassFiles;
import modprep.platform.CompileUnit;
import modprep.platform.JarCache;
import modprep.platform.JavaSourceCompiler;
import modprep.platform.ModuleOutcome;
import modprep.platform.ParallelCompiler;
import modprep.platform.PlatformVersion;
import modprep.platform.SourceFile;
import modprep.platform.SystemComponents;
import org.jooq.DSLContext;

/**
 * Everything modules are compiled with, shared by import, publish and preparation: the class path of
 * a unit, the compiler spread over every core, the cache of compilations by their inputs, and the
 * stored sources and jars.
 */
public final class Compilations implements AutoCloseable {

    private final Database database;
    private final SystemComponents system;
    private final JarCache jars;
    private final ParallelCompiler compiler;
    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final io.micrometer.core.instrument.Timer batches;

    public Compilations(Database database, SystemComponents system, JavaSourceCompiler javac, int threads,
                        io.micrometer.core.instrument.MeterRegistry meters) {
        this.database = database;
        this.meters = meters;
        this.batches = io.micrometer.core.instrument.Timer.builder("modprep.compile.batch")
                .description("Compile batches of this process (a group's misses, or a round compiled ahead), wall time")
                .publishPercentileHistogram().register(meters);
        this.system = system;
        this.compiler = new ParallelCompiler(new BatchCompiler(javac), threads);
        this.jars = new JarCache(shas -> new BlobStore(database.dsl()).getAll(shas), JarCache.budgetFor(Runtime.getRuntime().maxMemory()));
    }

    public ClassFiles systemComponents(PlatformVersion version) {
        return system.of(version);
    }

    /**
     * The class path of modules whose direct producers are given: the system components, then every
     * producer's compilation, transitively, nearest first.
     *
     * @param graph whose producers to follow beyond the direct ones
     * @param exclude modules compiled in the same unit, which come as sources
     * @param jarOf each producer's compiled jar (SHA-256), read through the jar cache
     */
    public List<ClassFiles> classPath(PlatformVersion version, Collection<String> directProducers, ModuleGraph graph,
                                      Collection<String> exclude, Function<String, String> jarOf) {
        var wanted = new ArrayList<Map.Entry<String, String>>();
        for (String p : producersInOrder(directProducers, graph, exclude)) {
            String jar = jarOf.apply(p);
            if (jar == null) {
                throw new IllegalStateException("producer " + p + " has no compilation for " + version);
            }
            wanted.add(Map.entry(p, jar));
        }
        var classPath = new ArrayList<ClassFiles>();
        classPath.add(system.of(version));
        classPath.addAll(jars.get(wanted));
        return classPath;
    }

    /** The same, from compilations held in memory (an import, before anything is stored). */
    public List<ClassFiles> classPathInMemory(PlatformVersion version, Collection<String> directProducers,
                                              ModuleGraph graph, Collection<String> exclude, Map<String, ClassFiles> compiled) {
        var classPath = new ArrayList<ClassFiles>();
        classPath.add(system.unsaved(version));
        producersInOrder(directProducers, graph, exclude).forEach(p -> classPath.add(compiled.get(p)));
        return classPath;
    }

    private static List<String> producersInOrder(Collection<String> direct, ModuleGraph graph, Collection<String> exclude) {
        var producers = new java.util.LinkedHashSet<>(direct);
        producers.addAll(graph.transitiveProducers(direct));
        producers.removeAll(exclude);
        return List.copyOf(producers);
    }

    /** Stores the system components of a version in the caller's transaction (an import's), unless stored. */
    public void saveSystemComponents(DSLContext tx, PlatformVersion version) {
        system.save(tx, version);
    }

    /** Compiles independent units on every core, in as few javac tasks as it can. */
    public ParallelCompiler.Compiled compile(PlatformVersion version, List<CompileUnit> units) {
        var compiled = batches.record(() -> compiler.compile(units));
        // I7: a failure on an API the version removed says what replaces it.
        var hints = system.hints(version);
        var outcomes = new java.util.LinkedHashMap<String, ModuleOutcome>();
        compiled.outcomes().forEach((m, outcome) -> outcomes.put(m, hints.annotate(outcome)));
        return new ParallelCompiler.Compiled(outcomes, compiled.taskMillis());
    }

    /** What this process measures, for GET /metrics. */
    public io.micrometer.core.instrument.MeterRegistry meters() {
        return meters;
    }

    /** The jars already compiled from these inputs, by inputs. */
    public Map<String, String> cachedJars(DSLContext dsl, Collection<String> inputs) {
        return inputs.isEmpty() ? new HashMap<>() : new HashMap<>(dsl.select(COMPILATION.INPUTS_SHA256, COMPILATION.JAR_SHA256)
                .from(COMPILATION).where(COMPILATION.INPUTS_SHA256.in(inputs))
                .fetchMap(COMPILATION.INPUTS_SHA256, COMPILATION.JAR_SHA256));
    }

    /** Stores a compiled jar under its inputs (idempotent: the same inputs always give the same jar). */
    public String store(DSLContext dsl, String inputs, ClassFiles classes) {
        var jar = jar(classes);
        store(dsl, inputs, jar);
        return jar.sha256();
    }

    /** A compiled jar: its bytes and their SHA-256. */
    public record Jar(String sha256, byte[] bytes) {
    }

    /** Packs compiled classes into their jar, known at once to the jar cache (consumers compile against it). */
    public Jar jar(ClassFiles classes) {
        var jar = pack(classes);
        jars.put(jar.sha256(), classes, jar.bytes().length);
        return jar;
    }

    /**
     * As {@link #jar}, for a jar whose consumers may compile against it before it is stored: the jar
     * cache keeps it until {@link #stored}.
     */
    public Jar unstoredJar(ClassFiles classes) {
        var jar = pack(classes);
        jars.putPinned(jar.sha256(), classes, jar.bytes().length);
        return jar;
    }

    private static Jar pack(ClassFiles classes) {
        byte[] bytes = classes.toJar();
        return new Jar(modprep.db.Sha256.of(bytes), bytes);
    }

    /** These jars of {@link #unstoredJar} are committed (or never will be): the jar cache may drop them again. */
    public void stored(Collection<Jar> stored) {
        stored.forEach(jar -> jars.unpin(jar.sha256()));
    }

    /** Stores a jar under the inputs it was compiled from. */
    public void store(DSLContext dsl, String inputs, Jar jar) {
        store(dsl, Map.of(inputs, jar));
    }

    /** Stores jars under the inputs they were compiled from, in a couple of batches. */
    public void store(DSLContext dsl, Map<String, Jar> jarsByInputs) {
        var blobs = new HashMap<String, byte[]>();
        jarsByInputs.values().forEach(jar -> blobs.put(jar.sha256(), jar.bytes()));
        new BlobStore(dsl).putAll(blobs);
        var known = dsl.select(COMPILATION.INPUTS_SHA256).from(COMPILATION)
                .where(COMPILATION.INPUTS_SHA256.in(jarsByInputs.keySet())).fetchSet(COMPILATION.INPUTS_SHA256);
        var now = OffsetDateTime.now(ZoneOffset.UTC);
        var rows = jarsByInputs.entrySet().stream().filter(e -> !known.contains(e.getKey())).toList();
        if (rows.isEmpty()) {
            return;
        }
        var insert = dsl.batch(dsl.insertInto(COMPILATION, COMPILATION.INPUTS_SHA256, COMPILATION.JAR_SHA256, COMPILATION.COMPILED_AT)
                .values((String) null, (String) null, (OffsetDateTime) null).onConflictDoNothing());
        rows.forEach(e -> insert.bind(e.getKey(), e.getValue().sha256(), now));
        try {
            insert.execute();
        } catch (org.jooq.exception.DataAccessException raced) {
            rows.forEach(e -> BlobStore.insertOnce(dsl.insertInto(COMPILATION).set(COMPILATION.INPUTS_SHA256, e.getKey())
                    .set(COMPILATION.JAR_SHA256, e.getValue().sha256()).set(COMPILATION.COMPILED_AT, now).onConflictDoNothing()));
        }
    }

    /** A module's sources, read back from their stored archive. */
    public List<SourceFile> sources(DSLContext dsl, String sourcesSha) {
        return sources(dsl, List.of(sourcesSha)).get(sourcesSha);
    }

    /** Several modules' sources in one query, by the SHA-256 of their archives. */
    public Map<String, List<SourceFile>> sources(DSLContext dsl, Collection<String> sourcesShas) {
        var result = new HashMap<String, List<SourceFile>>();
        new BlobStore(dsl).getAll(sourcesShas).forEach((sha, archive) -> {
            var files = new ArrayList<SourceFile>();
            modprep.platform.Archive.read(archive).forEach((path, bytes) ->
                    files.add(new SourceFile(path, new String(bytes, java.nio.charset.StandardCharsets.UTF_8))));
            result.put(sha, files);
        });
        var missing = sourcesShas.stream().filter(sha -> !result.containsKey(sha)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("stored sources " + missing + " are missing");
        }
        return result;
    }

    /** A module's sources as one archive, whose SHA-256 names that version of its code. */
    public static byte[] sourcesArchive(List<SourceFile> sources) {
        var entries = new LinkedHashMap<String, byte[]>();
        sources.forEach(s -> entries.put(s.path(), s.content().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return modprep.platform.Archive.write(entries);
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        compiler.close();
    }
}
