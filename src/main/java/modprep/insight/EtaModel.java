package modprep.insight;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import modprep.status.GroupStatus;

/**
 * I1: how long a run has left, from this environment's measured rates. A run is two pipelines: its
 * modules are compiled in run order (ahead of their groups, in large javac tasks), and its groups are
 * taken one after another, each waiting for its modules' compilations. So a group ends at the later of
 * two moments: when the compiling reaches its last module, and when the group before it ended plus
 * what a group costs once its compilations are there. Both rates are measured:
 * <ul>
 * <li>compiling, in milliseconds per source file: this run's compilations since the first were stored, over
 *     the time they took ({@link #perFileMs}), weighed with the latest earlier run's pace by the share compiled
 *     ({@link #weighed}), or, until this run's shows, the earlier run's alone; with no earlier run, the
 *     import's ({@link #paceFromImport}), or else this run's newest compilations ({@link #NEWEST});</li>
 * <li>a group's cost, the median over the groups done, once while the run compiles, once after
 *     ({@link GroupCost}).</li>
 * </ul>
 * Both are worked out again at each estimate, so they follow the run as it goes (a busier machine,
 * another node taking the run over). The compiling is spread over every live node (P14) while the groups
 * stay on the run's owner: so the compiling left is scaled by the nodes that compiled what was measured
 * against the nodes live now ({@link Nodes}), and the groups' own cost is not.
 */
public final class EtaModel {
    /**
     * The share of a first run's compilations, the newest, whose pace stands for the rest's: the compiler
     * warms up as it goes, so what it stored first is slower than what comes. Half-way through a recorded
     * first run's time, its compilations since the first store went at 1.35 ms a file, the newest 30 % at
     * 0.96, and the rest then went at 0.74 (bench/RESULTS.md, run estimate).
     */
    static final double NEWEST = 0.3;

    /**
     * A run's compiling pace (from its first store on) against the import's (its whole compiling): the run compiles
     * beside its groups, the import beside its writing alone. 1.09 to 1.21 over four first runs of bench/eta.sh.
     */
    static final double RUN_OVER_IMPORT = 1.12;

    private EtaModel() {
    }

    /** A first run's compiling pace, in ms per source file, from the import's; null when the import's is unknown. */
    public static Double paceFromImport(Long millis, Integer sourceFiles) {
        return millis == null || sourceFiles == null || sourceFiles == 0 || millis <= 0 ? null : millis * RUN_OVER_IMPORT / sourceFiles;
    }

    /**
     * The measured rates: ms per source file compiled (on {@code compiledOn} nodes), ms per group, how many
     * groups they were learned from (or, for a first run, the import's compiling too), and the nodes live
     * now, which compile what is left.
     */
    public record Rate(double perGroupMs, double perGroupAfterMs, double perFileMs, int thisRun, int earlierRuns,
                       double compiledOn, int live, boolean fromImport) {
        /** How long the compiling left takes against what the measured rate says: as many times less as there are more nodes now. */
        double compileFactor() {
            return live <= 0 ? 1 : compiledOn / live;
        }

        /** Whether the nodes matter to this estimate: the compiling was or is spread over more than one. */
        boolean spread() {
            return live > 1 || (live > 0 && compiledOn >= 1.5);
        }
    }

    /**
     * The nodes of an estimate: how many compiled this run's batches so far (on average over the time they
     * compiled: a node that joined half-way counts half; null when no batch was compiled, as for a run
     * before P14, when the run's owner compiled alone) and how many are live now (their heartbeat within
     * the lease-timeout on the database's clock, L1).
     */
    public record Nodes(Double compiledOn, int live) {
        /** One node that compiled all and is live now: the measured rate holds as it is. */
        public static final Nodes ONE = new Nodes(1.0, 1);
    }

    /**
     * What earlier runs taught: their compile rate (ms per file, or null) and the nodes that compiled it
     * (null: one), and their groups done, those that started while their run still compiled and those after;
     * or, before a first run, the import's compiling pace alone ({@code fromImport}).
     */
    public record Earlier(Double perFileMs, Double compiledOn, List<GroupTiming> during, List<GroupTiming> after, boolean fromImport) {
        static final Earlier NONE = new Earlier(null, null, List.of(), List.of());

        public Earlier(Double perFileMs, Double compiledOn, List<GroupTiming> during, List<GroupTiming> after) {
            this(perFileMs, compiledOn, during, after, false);
        }

        /** Before a first run: the import's compiling pace alone ({@link #paceFromImport}), on one node. */
        static Earlier imported(double perFileMs) {
            return new Earlier(perFileMs, null, List.of(), List.of(), true);
        }

        int groups() {
            return during.size() + after.size();
        }
    }

    /** Compiling's pace so far in this run, from its first store on (below). */
    static Double perFileMs(CompileProgress progress, double filesPerModule) {
        return perFileMs(progress, filesPerModule, 1);
    }

    /**
     * Compiling's pace in this run, in ms per source file, over the newest {@code share} of the modules
     * compiled: from the store they follow to the latest, at the earliest from the first store. The first
     * store waits for the compiler to start and warm up (a cold JVM's first 19 modules took 2.3 s, the next
     * 950 took 1 ms a file), which the files left do not. With only the first stored: from the run's start.
     * Null before the first.
     */
    static Double perFileMs(CompileProgress progress, double filesPerModule, double share) {
        if (progress.compiled() == 0 || filesPerModule <= 0) {
            return null;
        }
        var since = progress.paced() ? progress.since(share) : null;
        long ms = progress.millis(since != null ? since.at() : progress.runStartedAt(), progress.latest());
        int compiled = progress.compiled() - (since != null ? progress.compiledBy(since) : 0);
        return ms <= 0 || compiled <= 0 ? null : ms / (compiled * filesPerModule);
    }

    /**
     * This run's compiling pace weighed with an earlier run's by the share of this run compiled so far: a run's
     * first tasks go at the pace of a compiler warming up. Half-way through a second run's time they said
     * 1.2-1.9 ms a file, where the earlier run's 0.7-0.8, measured over a whole run, held for the rest (+20 to
     * +73 % at that point, bench/eta.sh). The earlier pace is taken to the nodes this run's was measured on.
     */
    static double weighed(double here, double compiledShare, Earlier earlier, Double compiledOn) {
        double there = earlier.perFileMs() * nodesOr1(earlier.compiledOn()) / nodesOr1(compiledOn);
        double share = Math.min(1, compiledShare);
        return there * (1 - share) + here * share;
    }

    private static double nodesOr1(Double nodes) {
        return nodes == null || nodes <= 0 ? 1 : nodes;
    }

    /**
     * The estimate for a running run at {@code now}: every group of the run in order, how far its
     * compiling has got, what earlier runs taught, and the nodes that compiled and compile now. Unknown
     * until some rate is known.
     */
    public static Eta estimate(long runId, Instant now, List<GroupTiming> groups, CompileProgress progress, Earlier earlier, Nodes nodes) {
        int modules = groups.stream().mapToInt(GroupTiming::modules).sum();
        int files = groups.stream().mapToInt(GroupTiming::files).sum();
        double filesPerModule = modules == 0 ? 0 : (double) files / modules;
        // This run's pace once it shows; until then an earlier run's (+1453 % three seconds into a second run
        // without it, bench/eta.sh); before a first run, the import's. With none (a first run of an environment
        // imported before the import kept its pace, or earlier runs that compiled nothing), the newest of what
        // this run stored: see NEWEST.
        Double perFile = earlier.perFileMs() == null ? perFileMs(progress, filesPerModule, NEWEST)
                : progress.paced() ? perFileMs(progress, filesPerModule) : null;
        boolean learnedHere = perFile != null;
        if (perFile == null) {
            perFile = earlier.perFileMs();
        } else if (earlier.perFileMs() != null) {
            perFile = weighed(perFile, (double) progress.compiled() / modules, earlier, nodes.compiledOn());
        }
        var done = groups.stream().filter(GroupTiming::done).toList();
        if (earlier.groups() == 0 && !earlier.fromImport() && done.stream().noneMatch(g -> g.seq() > 1)) {
            // A first run's first group waits for a cold compiler: alone, it said "about 57 s" of a 7 s run.
            return Eta.unknown(runId, now);
        }
        Instant compilingEnded = progress.compilingEnded(modules);
        // Resumed with nothing stored since, while the run still compiles: its compiler is starting again.
        Instant restarted = compilingEnded == null ? progress.restartedAt() : null;
        double[] prior = earlier.fromImport()
                ? new double[] {earlier.perFileMs() * GroupCost.DURING_OVER_FILE, earlier.perFileMs() * GroupCost.AFTER_OVER_FILE} : null;
        double[] perGroup = GroupCost.perGroupMs(done, compilingEnded, restarted, earlier.during(), earlier.after(), prior);
        if (perFile == null || perGroup == null) {
            // Nothing to go on but the groups done, if any: each as long as the mean of them.
            if (done.isEmpty()) {
                return Eta.unknown(runId, now);
            }
            double mean = done.stream().mapToLong(GroupTiming::millis).average().orElseThrow();
            perGroup = new double[] {mean, mean};
            perFile = perFile == null ? 0.0 : perFile;
        }
        Double compiledOn = learnedHere ? nodes.compiledOn() : earlier.compiledOn();
        var rate = new Rate(perGroup[0], perGroup[1], perFile, done.size(), earlier.groups(), compiledOn == null ? 1 : compiledOn, nodes.live(),
                prior != null);
        // The compiling left, in ms per file on the nodes live now (the groups' own cost stays: they run on the owner alone).
        double perFileNow = perFile * rate.compileFactor();
        // Where compiling stands, in source files of the run's order: what is compiled, at least every group done.
        double compiledFiles = learnedHere ? progress.compiled() * filesPerModule : 0;
        double doneFiles = groups.stream().filter(g -> g.status() == GroupStatus.DONE).mapToInt(GroupTiming::files).sum();
        compiledFiles = Math.max(compiledFiles, doneFiles);
        // Resumed with nothing stored since: the compiling stands where it stood, from the resume on.
        Instant compiledAt = !learnedHere ? now : restarted != null ? restarted : progress.latest();
        double at = 0; // ms from now
        double position = 0; // files of the groups so far, in run order
        double compiledAll = Duration.between(now, compiledAt).toMillis() + Math.max(0, files - compiledFiles) * perFileNow;
        var pending = new ArrayList<Eta.GroupEta>();
        for (var group : groups) {
            position += group.files();
            if (group.status() == GroupStatus.DONE) {
                continue;
            }
            double start = at;
            double own = start < compiledAll ? rate.perGroupMs() : rate.perGroupAfterMs();
            if (group.status() == GroupStatus.RUNNING && group.startedAt() != null) {
                own = Math.max(0, own - Duration.between(group.startedAt(), now).toMillis());
            }
            double compiledBy = Duration.between(now, compiledAt).toMillis() + Math.max(0, position - compiledFiles) * perFileNow;
            at = Math.max(start + own, compiledBy);
            pending.add(new Eta.GroupEta(group.seq(), group.modules(), now.plusMillis(Math.round(start)), now.plusMillis(Math.round(at))));
        }
        return new Eta(runId, now, Math.round(at), now.plusMillis(Math.round(at)), rate, pending);
    }
}
