package modprep.insight;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * I1: what a group costs on its own, learned from the groups done (this run's and earlier runs'), for
 * {@link EtaModel}: once while the run compiles, where a group's compile step waits for its compilations
 * and counts for nothing of its own (P13), once after, where it waits for nothing.
 */
final class GroupCost {
    /**
     * What a group costs once the run no longer compiles, against what it cost meanwhile, for a first run with
     * no earlier one to tell: a third, measured 0.24 to 0.52 (median 0.30) over eight runs of bench/eta.sh on
     * two cores. Until it has done {@link #SETTLED} groups while compiling, a fifth ({@link #AFTER_OVER_FIRST}):
     * those first groups wait for a cold JVM (35 recorded runs: 0.13 to 0.34 of their first seven's median; median 0.18).
     * Both were measured on the groups' own time after the compiling, which leaves out their compile step (1-2 ms);
     * measured on their whole time they are 0.37 and 0.22 over 48 runs, which replayed worse on the runs recorded
     * before (stop 22): they stand as they were.
     */
    static final double AFTER_OVER_DURING = 1.0 / 3;
    static final double AFTER_OVER_FIRST = 0.2;

    /**
     * The groups a run does while it compiles before their cost tells it alone: its first groups are its slowest
     * (90-170 ms of their own, as the JVM warms, against 40-50 ms later), so until then an earlier run's groups
     * count with them. Replayed on 29 recorded runs: 34 of 87 points within 20 % by the run's time instead
     * of 26, and 65 by modules either way (from 8 to 20 groups alike).
     */
    static final int SETTLED = 10;

    /**
     * A first run's groups, while it compiles (their own time) and after (their whole time), in ms per ms a source
     * file takes to compile: a group's cost follows the machine as the compiling does. 38-62 (median 48) and 13-29
     * (median 17) over 48 recorded runs of bench/eta.sh. They stand for what a first run with the import's pace
     * cannot tell yet: until its second group (the first waits for a cold compiler), and its third after compiling.
     */
    static final double DURING_OVER_FILE = 48;
    static final double AFTER_OVER_FILE = 17;

    private GroupCost() {
    }

    /** The median of the groups' own time but for their first (it waits for the compiler to start), or null with none. */
    static Double ownMs(List<GroupTiming> groups) {
        return median(groups, GroupTiming::ownMillis);
    }

    /**
     * The median of the groups' whole time but for their first: once the compiling has ended, a group's compile
     * step waits for nothing and costs what it takes (their own time alone said 20-30 % less than the last half of
     * four first runs took, bench/eta.sh, 2026-12-01). Null with none.
     */
    static Double wholeMs(List<GroupTiming> groups) {
        return median(groups, GroupTiming::millis);
    }

    private static Double median(List<GroupTiming> groups, java.util.function.ToLongFunction<GroupTiming> time) {
        long[] times = groups.stream().filter(g -> g.seq() > 1).mapToLong(time).sorted().toArray();
        return times.length == 0 ? null : (double) times[times.length / 2];
    }

    private static List<GroupTiming> concat(List<GroupTiming> a, List<GroupTiming> b) {
        var both = new ArrayList<GroupTiming>(a);
        both.addAll(b);
        return both;
    }

    /**
     * A group's cost while the run still compiles (its own: all but its compile step, where it waits for its
     * compilations, P13) and once it no longer does (its whole time): a group shares the machine and the database
     * with the compiling until then, and costs several times less after. Measured on this run's groups done
     * (started before or after its compiling ended, {@link CompileProgress#compilingEnded}); what this run cannot tell yet, earlier runs tell by their
     * ratio of the two; without any, a group costs a fifth after until ten groups are done while the run compiles
     * ({@link #AFTER_OVER_FIRST}), a third from then on ({@link #AFTER_OVER_DURING}). A first run with the
     * import's pace has {@code prior}: that pace times {@link #DURING_OVER_FILE} and {@link #AFTER_OVER_FILE}.
     *
     * @return {during, after}, or null when nothing is known
     */
    static double[] perGroupMs(List<GroupTiming> done, Instant compilingEnded, Instant restarted, List<GroupTiming> earlierDuring,
                               List<GroupTiming> earlierAfter, double[] prior) {
        // A group since a resume with nothing stored yet waited for the compiler starting again: not a group after it.
        var during = done.stream().filter(g -> g.startedWhileCompiling(compilingEnded)
                || restarted != null && !g.startedAt().isBefore(restarted)).toList();
        var after = done.stream().filter(g -> !during.contains(g)).toList();
        Double c1 = ownMs(during.size() >= SETTLED ? during : concat(during, earlierDuring));
        long measured = during.stream().filter(g -> g.seq() > 1).count();
        if (prior != null && c1 != null && measured < SETTLED) {
            // A first run's first groups are its slowest: the import's pace counts for those not done yet.
            c1 = (c1 * measured + prior[0] * (SETTLED - measured)) / SETTLED;
        }
        Double c2 = after.size() >= 3 ? wholeMs(after) : null;
        Double e1 = ownMs(earlierDuring);
        Double e2 = wholeMs(earlierAfter);
        if (c1 == null) {
            // The run's first group alone tells the least: only when nothing else does.
            c1 = c2 != null ? c2 : e1 != null ? e1 : prior != null ? prior[0]
                    : during.stream().filter(g -> g.seq() == 1).map(g -> (double) g.ownMillis()).findFirst().orElse(null);
        }
        if (c2 == null && prior != null) {
            c2 = prior[1];
        }
        if (c2 == null && c1 != null) {
            // Earlier runs whose groups all started while they compiled never showed a group cheaper after.
            c2 = c1 * (e1 != null && e2 != null && e1 > 0 ? Math.min(1, e2 / e1) : e1 != null ? 1
                    : during.size() < SETTLED ? AFTER_OVER_FIRST : AFTER_OVER_DURING);
        }
        return c1 == null ? null : new double[] {c1, c2};
    }
}
