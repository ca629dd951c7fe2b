import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import modprep.environment.ModuleGraph;

/**
 * Reads a finished preparation run ({@code modprep status --json}) and the environment folder it was
 * imported from, and prints (Markdown) the time to publishable for modprep's order and for an
 * alphabetical order, and where the run's time went, step by step. Writes key=value figures for
 * bench/run.sh to a third file. Compiled by bench/run.sh against target/modprep.jar, whose Jackson
 * reads the JSON and whose {@link ModuleGraph} gives the same units (reference cycles) as modprep's.
 *
 * <p><b>Time to publishable</b> of a module: the time from the run's start until the module and all
 * its producers (transitively) are prepared, i.e. until it may be published (P8). The figure is the
 * mean over modules weighted by each module's number of consumers (a module many others wait on
 * counts more); modules nobody uses weigh nothing, so the plain mean is shown beside it.
 *
 * <p><b>modprep's order</b> is measured: each module's {@code finishedAt} in the run.
 *
 * <p><b>Alphabetical order</b> is simulated, since modprep has no such mode: the same units are
 * re-formed into groups by the planner's own rule (Kahn's order over units, a group at a time, at most
 * the run's group size, a consumer only in a group after its producers' groups) but picking the ready
 * units alphabetically instead of most referenced first. The simulated k-th group is given the k-th
 * measured group's end (same group durations, position by position, including the time between
 * groups); if the alphabetical plan needs more groups than the run had, each extra group takes the
 * run's mean group span. Groups hold at most as many modules of the same kind of code in both orders,
 * so keeping the durations by position is a fair first approximation.
 */
public final class RunAnalysis {
    private record Group(int seq, Instant startedAt, Instant finishedAt, List<String> modules, Map<String, Double> steps) {
    }

    public static void main(String[] args) throws IOException {
        JsonNode run = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        Path environment = Path.of(args[1]);
        Path figuresFile = Path.of(args[2]);

        Instant start = Instant.parse(run.get("startedAt").asText());
        Instant end = Instant.parse(run.get("finishedAt").asText());
        var groups = new ArrayList<Group>();
        var finished = new HashMap<String, Double>();
        int notPrepared = 0;
        for (JsonNode g : run.get("groups")) {
            var modules = new ArrayList<String>();
            for (JsonNode m : g.get("modules")) {
                modules.add(m.get("name").asText());
                if (!m.get("status").asText().equals("prepared")) {
                    notPrepared++;
                }
                finished.put(m.get("name").asText(), seconds(start, Instant.parse(m.get("finishedAt").asText())));
            }
            var steps = new LinkedHashMap<String, Double>();
            for (JsonNode s : g.get("steps")) {
                steps.merge(s.get("name").asText(),
                        seconds(Instant.parse(s.get("startedAt").asText()), Instant.parse(s.get("finishedAt").asText())), Double::sum);
            }
            groups.add(new Group(g.get("seq").asInt(), Instant.parse(g.get("startedAt").asText()),
                    Instant.parse(g.get("finishedAt").asText()), modules, steps));
        }
        groups.sort(Comparator.comparingInt(Group::seq));
        var graph = graph(environment, finished.keySet());

        // modprep's order, measured.
        ToDoubleFunction<String> modprepReady = m -> ready(graph, m, finished);
        // The alphabetical order, simulated (see the class comment).
        // The environment's group size: every import sets the default, and no command changes it.
        int groupSize = Math.max(modprep.environment.EnvironmentImporter.DEFAULT_GROUP_SIZE,
                groups.stream().mapToInt(g -> g.modules().size()).max().orElse(0));
        var positions = new double[groups.size()];
        for (int k = 0; k < groups.size(); k++) {
            positions[k] = groups.get(k).modules().stream().mapToDouble(finished::get).max().orElse(0);
        }
        double meanSpan = positions.length == 0 ? 0 : positions[positions.length - 1] / positions.length;
        var alphabetical = modprep.preparation.Planner.group(graph, graph.units(), groupSize,
                Comparator.comparing((List<String> u) -> u.get(0)));
        var simulated = new HashMap<String, Double>();
        for (int j = 0; j < alphabetical.size(); j++) {
            double at = j < positions.length ? positions[j] : positions[positions.length - 1] + (j - positions.length + 1) * meanSpan;
            alphabetical.get(j).forEach(m -> simulated.put(m, at));
        }
        ToDoubleFunction<String> alphabeticalReady = m -> ready(graph, m, simulated);

        var out = new StringBuilder();
        if (notPrepared > 0) {
            out.append("**Warning:** ").append(notPrepared).append(" modules of the run were not prepared: the comparison is off.\n\n");
        }
        out.append("Time to publishable (s from the run's start until a module and all its producers are prepared):\n\n");
        out.append("| order | groups | mean, weighted by consumers | plain mean | median | last module |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        double modprepWeighted = weightedMean(graph, modprepReady);
        double alphabeticalWeighted = weightedMean(graph, alphabeticalReady);
        row(out, "modprep (most referenced first), measured", groups.size(), graph, modprepReady);
        row(out, "alphabetical, simulated", alphabetical.size(), graph, alphabeticalReady);
        out.append(String.format(Locale.ROOT, "%nAlphabetical / modprep, weighted mean: %.2f×.%n%n", alphabeticalWeighted / modprepWeighted));

        double runSeconds = seconds(start, end);
        out.append(String.format(Locale.ROOT, "Where the run's %.2f s went (%d groups of up to %d modules; each step summed over the groups):%n%n",
                runSeconds, groups.size(), groupSize));
        out.append("| step | total s | share of the run | mean per group, ms |\n| --- | ---: | ---: | ---: |\n");
        var totals = new LinkedHashMap<String, Double>();
        totals.put("before the first group (plan, worker start)", groups.isEmpty() ? runSeconds : seconds(start, groups.get(0).startedAt()));
        groups.forEach(g -> g.steps().forEach((name, s) -> totals.merge(name, s, Double::sum)));
        double between = 0;
        for (int k = 1; k < groups.size(); k++) {
            between += seconds(groups.get(k - 1).finishedAt(), groups.get(k).startedAt());
        }
        totals.put("between groups (claim the next one)", between);
        totals.put("after the last group (end the run)", groups.isEmpty() ? 0 : seconds(groups.get(groups.size() - 1).finishedAt(), end));
        int groupCount = Math.max(1, groups.size());
        var once = List.of("before the first group (plan, worker start)", "after the last group (end the run)");
        totals.forEach((name, s) -> out.append(String.format(Locale.ROOT, "| %s | %.2f | %.0f %% | %s |%n", name, s,
                100 * s / runSeconds, once.contains(name) ? "" : String.format(Locale.ROOT, "%.0f", 1000 * s / groupCount))));
        if (!groups.isEmpty()) {
            var first = groups.get(0);
            out.append(String.format(Locale.ROOT, "%nThe first group took %.2f s (of which %s), the others %.2f s on average.%n",
                    seconds(first.startedAt(), first.finishedAt()), describe(first.steps()),
                    groups.stream().skip(1).mapToDouble(g -> seconds(g.startedAt(), g.finishedAt())).average().orElse(0)));
        }
        System.out.print(out);
        Files.writeString(figuresFile, String.format(Locale.ROOT,
                "run_s=%.3f%ngroups=%d%nalpha_groups=%d%npublishable_modprep_s=%.3f%npublishable_alpha_s=%.3f%nnot_prepared=%d%n",
                runSeconds, groups.size(), alphabetical.size(), modprepWeighted, alphabeticalWeighted, notPrepared));
    }

    /** The published modules of the environment folder and their references, as modprep's graph. */
    private static ModuleGraph graph(Path environment, java.util.Set<String> inRun) throws IOException {
        var producers = new LinkedHashMap<String, List<String>>();
        try (Stream<Path> folders = Files.list(environment.resolve("modules"))) {
            for (Path folder : folders.sorted().toList()) {
                var properties = new Properties();
                try (InputStream in = Files.newInputStream(folder.resolve("module.properties"))) {
                    properties.load(in);
                }
                String name = folder.getFileName().toString();
                if (inRun.contains(name)) {
                    producers.put(name, Arrays.stream(properties.getProperty("references", "").split(","))
                            .map(String::strip).filter(s -> !s.isEmpty()).toList());
                }
            }
        }
        return new ModuleGraph(producers);
    }

    /** When the module and all its producers are prepared. */
    private static double ready(ModuleGraph graph, String module, Map<String, Double> finished) {
        double at = finished.get(module);
        for (String p : graph.transitiveProducers(List.of(module))) {
            at = Math.max(at, finished.get(p));
        }
        return at;
    }

    private static double weightedMean(ModuleGraph graph, ToDoubleFunction<String> ready) {
        double sum = 0;
        double weights = 0;
        for (String m : graph.modules()) {
            int weight = graph.referenceCount(m);
            sum += weight * ready.applyAsDouble(m);
            weights += weight;
        }
        return weights == 0 ? 0 : sum / weights;
    }

    private static void row(StringBuilder out, String order, int groups, ModuleGraph graph, ToDoubleFunction<String> ready) {
        double[] times = graph.modules().stream().mapToDouble(ready).sorted().toArray();
        double mean = Arrays.stream(times).average().orElse(0);
        double median = times.length == 0 ? 0 : times[times.length / 2];
        double last = times.length == 0 ? 0 : times[times.length - 1];
        out.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |%n", order, groups,
                weightedMean(graph, ready), mean, median, last));
    }

    private static String describe(Map<String, Double> steps) {
        var parts = new ArrayList<String>();
        steps.forEach((name, s) -> parts.add(String.format(Locale.ROOT, "%s %.2f s", name, s)));
        return String.join(", ", parts);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
