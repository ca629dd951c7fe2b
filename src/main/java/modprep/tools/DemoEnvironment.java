package modprep.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    private record Module(String name, String application, int level, List<String> references) {
    }

    private final Random random;

    public DemoEnvironment(long seed) {
        this.random = new Random(seed);
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
            write(out.resolve("environment.properties"), "platform.version=" + version + "\n");
            for (var m : modules.values()) {
                writeModule(out.resolve("modules").resolve(m.name()), m, modules, !uploaded.contains(m.name()), failing.contains(m.name()), false);
                if (failing.contains(m.name())) {
                    writeModule(out.resolve("fixes").resolve(m.name()), m, modules, true, false, true);
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

    private void writeModule(Path folder, Module m, Map<String, Module> all, boolean published, boolean callsFindByName,
                             boolean fixedCode)
            throws IOException {
        String pkg = packageOf(m.name());
        String type = typeOf(m.name());
        write(folder.resolve("module.properties"), "application=" + m.application() + "\nstate="
                + (published ? "published" : "uploaded") + "\nreferences=" + String.join(",", m.references()) + "\n");
        if (m.name().hashCode() % 3 == 0) {
            write(folder.resolve("config.properties"), "service.url=https://" + m.name().toLowerCase(Locale.ROOT)
                    .replace('_', '-') + ".example.internal/api\ntimeout.seconds=30\nfeature.auditing=true\n");
        }
        var calls = new StringBuilder();
        for (String producer : m.references()) {
            var p = all.get(producer);
            boolean cycleBack = p.references().contains(m.name()) && p.level() >= m.level();
            calls.append(cycleBack
                    ? "        total += " + packageOf(producer) + "." + typeOf(producer) + "Model.of(input).weight();\n"
                    : "        total += " + packageOf(producer) + "." + typeOf(producer) + "Service.compute(input + " + (1 + Math.abs(producer.hashCode() % 7)) + ");\n");
        }
        // Most modules only use what every version has; the ones to fix call what 11.17.0 removed, and
        // their fixes (written with fixedCode) what replaced it.
        String userLookup = callsFindByName ? "Users.findByName(name)" : fixedCode ? "Users.findByUsername(name)"
                : "Users.currentUserId() + name.length()";
        String dir = "src/" + pkg.replace('.', '/') + "/";
        write(folder.resolve(dir + type + "Service.java"), """
                package %1$s;

                import platform.system.Log;
                import platform.system.Users;
                import platform.system.Version;

                /** %2$s: the operations other modules call. */
                public final class %3$sService {
                    private %3$sService() {
                    }

                    public static long compute(long input) {
                        long total = %3$sUtil.mix(input, %4$d);
                %5$s        return total + %3$sModel.of(input).weight();
                    }

                    public static long ownerOf(String name) {
                        Log.info("looking up " + name + " in %2$s");
                        return %6$s;
                    }

                    public static String describe() {
                        return "%2$s running on " + Version.NAME + " for user " + Users.currentUserId();
                    }
                }
                """.formatted(pkg, m.name(), type, Math.abs(m.name().hashCode() % 97), calls, userLookup));
        write(folder.resolve(dir + type + "Model.java"), """
                package %1$s;

                import java.util.ArrayList;
                import java.util.List;

                /** A value of %2$s, with its parts. */
                public final class %3$sModel {
                    private final long id;
                    private final List<String> parts = new ArrayList<>();

                    private %3$sModel(long id) {
                        this.id = id;
                        for (int i = 0; i < 3; i++) {
                            parts.add("%2$s-" + id + "-" + i);
                        }
                    }

                    public static %3$sModel of(long id) {
                        return new %3$sModel(id);
                    }

                    public long weight() {
                        long weight = id %% 13;
                        for (String part : parts) {
                            weight += part.length();
                        }
                        return weight;
                    }

                    public List<String> parts() {
                        return List.copyOf(parts);
                    }
                }
                """.formatted(pkg, m.name(), type));
        write(folder.resolve(dir + type + "Util.java"), """
                package %1$s;

                /** Small helpers of %2$s. */
                final class %3$sUtil {
                    private %3$sUtil() {
                    }

                    static long mix(long value, int salt) {
                        long mixed = value * 31 + salt;
                        mixed ^= (mixed >>> 7);
                        return Math.floorMod(mixed, 1_000_003L);
                    }

                    static String label(long value) {
                        return switch ((int) Math.floorMod(value, 3L)) {
                            case 0 -> "low";
                            case 1 -> "medium";
                            default -> "high";
                        };
                    }
                }
                """.formatted(pkg, m.name(), type));
    }

    static String packageOf(String module) {
        String segment = module.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return "app." + (Character.isDigit(segment.charAt(0)) ? "m" + segment : segment);
    }

    static String typeOf(String module) {
        var type = new StringBuilder();
        for (String part : module.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                type.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return Character.isDigit(type.charAt(0)) ? "M" + type : type.toString();
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
