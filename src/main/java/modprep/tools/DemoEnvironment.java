package modprep.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import modprep.ModprepException;

/**
 * Writes a realistic environment folder: applications of a few modules each, a few heavily referenced
 * core modules and a long tail, a reference cycle or two, some modules only uploaded, and about 2% of
 * the published modules calling {@code Users.findByName}, which 11.17.0 removed. Each of those also gets
 * its fixed code under {@code fixes/}, ready for {@code modprep upload}.
 */
public final class DemoEnvironment {
    private static final String[] AREAS = {"Billing", "Customers", "Orders", "Inventory", "Shipping", "Payments",
            "Catalog", "Portal", "Reports", "Support", "Claims", "Policies", "Payroll", "Recruiting", "Assets",
            "Projects", "Contracts", "Marketing", "Loyalty", "Pricing", "Quotes", "Invoices", "Tickets", "Audit"};
    private static final String[] LAYERS = {"Core", "API", "UI", "Sync", "Rules", "Data", "Reports", "Mobile"};
    private static final String[] CORE = {"Common_Utils", "Common_Theme", "Auth_Core", "Logging_Core", "Integration_Core",
            "Notifications_Core", "Documents_Core", "Config_Core", "Cache_Core", "Search_Core"};

    /** What was written, for the caller to report. */
    public record Summary(int modules, int published, int uploaded, int applications, List<String> callingFindByName,
                          List<List<String>> cycles) {
    }

    /** A module to write: its place in the plan and its references (cycles are added after planning). */
    record Module(String name, String application, int level, List<String> references) {
    }

    /** The fewest classes a demo module has: its service, its model and its helpers. */
    public static final int MIN_CLASSES = 3;
    private static final int MAX_CLASSES = 1000;

    private final Random random;
    private int classesPerModule = MIN_CLASSES;

    public DemoEnvironment(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Each module with {@code k} classes (real factories' modules hold dozens to hundreds of files): the
     * three of every module, then steps its service runs through. The graph does not depend on it.
     */
    public DemoEnvironment classesPerModule(int k) {
        if (k < MIN_CLASSES || k > MAX_CLASSES) {
            throw ModprepException.badInput("--classes-per-module must be between " + MIN_CLASSES + " and " + MAX_CLASSES + ", not " + k);
        }
        this.classesPerModule = k;
        return this;
    }

    public Summary write(Path out, int count, String version) {
        return write(out, count, version, false);
    }

    /**
     * @param noFailures write the modules that would call {@code Users.findByName} with code that every
     *        version compiles (and no {@code fixes/}): the same modules, references and cycles as without
     *        it, so an upgrade to 11.17.0 prepares every published module (benchmarks compare that run with
     *        other builds of the same sources)
     */
    public Summary write(Path out, int count, String version, boolean noFailures) {
        return write(out, count, version, noFailures, false);
    }

    /** @param realisticSizes modules of realistic, uneven sizes (most small, a few large), not classesPerModule each */
    public Summary write(Path out, int count, String version, boolean noFailures, boolean realisticSizes) {
        if (count < 2) {
            throw ModprepException.badInput("a demo environment needs at least 2 modules, not " + count);
        }
        var modules = plan(count);
        var consumers = new LinkedHashMap<String, Integer>();
        modules.values().forEach(m -> m.references().forEach(r -> consumers.merge(r, 1, Integer::sum)));

        var uploaded = pickUploaded(modules, consumers);
        var failing = pickFailing(modules, consumers, uploaded);
        var cycles = addCycles(modules, uploaded, failing); // picked as usual, so the graph does not depend on noFailures
        if (noFailures) {
            failing = Set.of();
        }
        try {
            Files.createDirectories(out.resolve("modules"));
            DemoModuleWriter.writeFile(out.resolve("environment.properties"), "platform.version=" + version + "\n");
            for (var m : modules.values()) {
                int classes = realisticSizes ? DemoModuleWriter.realisticClasses(m.name()) : classesPerModule;
                DemoModuleWriter.write(out.resolve("modules").resolve(m.name()), m, modules, !uploaded.contains(m.name()),
                        failing.contains(m.name()), false, classes);
                if (failing.contains(m.name())) {
                    DemoModuleWriter.write(out.resolve("fixes").resolve(m.name()), m, modules, true, false, true, classes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo environment in " + out + ": " + e.getMessage(), e);
        }
        int applications = (int) modules.values().stream().map(Module::application).distinct().count();
        return new Summary(count, count - uploaded.size(), uploaded.size(), applications,
                failing.stream().sorted().toList(), cycles);
    }

    /** Core modules at the bottom, then applications whose modules sit on levels above them. */
    private Map<String, Module> plan(int count) {
        int levels = Math.min(12, 3 + count / 60);
        int cores = Math.max(2, Math.min(CORE.length, count / 40));
        var modules = new LinkedHashMap<String, Module>();
        var byLevel = new ArrayList<List<String>>();
        for (int i = 0; i < levels; i++) {
            byLevel.add(new ArrayList<>());
        }
        var weight = new LinkedHashMap<String, Integer>();
        for (int i = 0; i < cores && modules.size() < count; i++) {
            String name = CORE[i];
            var refs = i == 0 ? List.<String>of() : List.of(CORE[0]);
            modules.put(name, new Module(name, "Platform_Foundation", 0, refs));
            byLevel.get(0).add(name);
            weight.put(name, 12);
        }
        int appIndex = 0;
        while (modules.size() < count) {
            String app = AREAS[appIndex % AREAS.length] + (appIndex >= AREAS.length ? "_" + (appIndex / AREAS.length + 1) : "");
            appIndex++;
            int size = Math.min(3 + random.nextInt(4), count - modules.size());
            int base = 1 + random.nextInt(Math.max(1, levels - size));
            var appModules = new ArrayList<String>();
            for (int j = 0; j < size; j++) {
                String name = app + "_" + LAYERS[j % LAYERS.length];
                int level = Math.min(levels - 1, base + j);
                var refs = new ArrayList<String>();
                if (random.nextInt(10) < 8) {
                    refs.add(weighted(byLevel.get(0), weight));
                }
                if (!appModules.isEmpty()) {
                    refs.add(appModules.get(appModules.size() - 1)); // the layer below, in its own application
                }
                int others = random.nextInt(3);
                for (int k = 0; k < others && level > 1; k++) {
                    var lower = byLevel.get(1 + random.nextInt(level - 1));
                    if (!lower.isEmpty()) {
                        String pick = weighted(lower, weight);
                        if (!refs.contains(pick)) {
                            refs.add(pick);
                        }
                    }
                }
                refs.forEach(r -> weight.merge(r, 1, Integer::sum));
                weight.put(name, 1);
                modules.put(name, new Module(name, app, level, refs));
                byLevel.get(level).add(name);
                appModules.add(name);
            }
        }
        return modules;
    }

    /** Preferential attachment: the more a module is already used, the likelier it is used again. */
    private String weighted(List<String> candidates, Map<String, Integer> weight) {
        int total = candidates.stream().mapToInt(weight::get).sum();
        int pick = random.nextInt(total);
        for (String c : candidates) {
            pick -= weight.get(c);
            if (pick < 0) {
                return c;
            }
        }
        return candidates.get(candidates.size() - 1);
    }

    /** About 3% of modules, among those nobody uses, were uploaded but never published. */
    private Set<String> pickUploaded(Map<String, Module> modules, Map<String, Integer> consumers) {
        var unused = modules.values().stream().filter(m -> m.level() > 0 && !consumers.containsKey(m.name()))
                .map(Module::name).toList();
        int wanted = Math.max(1, modules.size() * 3 / 100);
        var picked = new HashSet<String>();
        for (int i = 0; i < unused.size() && picked.size() < wanted; i += 1 + random.nextInt(3)) {
            picked.add(unused.get(i));
        }
        return picked;
    }

    /** About 2% of published modules call Users.findByName, preferring ones with a few consumers (1 to 3). */
    private Set<String> pickFailing(Map<String, Module> modules, Map<String, Integer> consumers, Set<String> uploaded) {
        var candidates = new ArrayList<>(modules.values().stream()
                .filter(m -> m.level() > 0 && !uploaded.contains(m.name())).map(Module::name).toList());
        java.util.Collections.shuffle(candidates, random);
        candidates.sort(java.util.Comparator.comparing((String m) -> {
            int used = consumers.getOrDefault(m, 0);
            return used >= 1 && used <= 3 ? 0 : used == 0 ? 1 : 2;
        }));
        int wanted = Math.max(1, Math.round((modules.size() - uploaded.size()) * 0.02f));
        return new HashSet<>(candidates.subList(0, Math.min(wanted, candidates.size())));
    }

    /** One reference cycle per 150 modules or so (at least one): two modules of one application use each other. */
    private List<List<String>> addCycles(Map<String, Module> modules, Set<String> uploaded, Set<String> failing) {
        var cycles = new ArrayList<List<String>>();
        int wanted = Math.max(1, modules.size() / 150);
        var names = new ArrayList<>(modules.keySet());
        for (int i = names.size() - 1; i > 0 && cycles.size() < wanted; i--) {
            var upper = modules.get(names.get(i));
            var lower = modules.get(names.get(i - 1));
            boolean eligible = upper.application().equals(lower.application()) && upper.references().contains(lower.name())
                    && !uploaded.contains(upper.name()) && !uploaded.contains(lower.name())
                    && !failing.contains(upper.name()) && !failing.contains(lower.name()) && lower.level() > 0;
            if (eligible) {
                lower.references().add(upper.name());
                cycles.add(List.of(lower.name(), upper.name()));
                i -= 10;
            }
        }
        return cycles;
    }
}
