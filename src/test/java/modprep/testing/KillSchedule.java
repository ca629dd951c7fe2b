package modprep.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where to kill a process working on a run, chosen from the run's own progress and never from time:
 * a point is the start of a group or a step of it in progress, drawn by a seeded Random from what is
 * left of the run each time, so that the kills land in the middle of the run on any machine, fast or
 * slow or loaded. Each draw takes the next 1/(k+1) of what is left, k being the kills still wanted:
 * the run keeps room for them, and for a poll that overshoots its point.
 *
 * <p>The test gives the run's progress (a {@link ProgressProbe}) and a kill action; the schedule waits
 * until the run reaches the point (a step passed between two reads is fine: it kills at the first read
 * at or past it), kills, and keeps each kill for the failure message, with the seed that replays them.
 */
public final class KillSchedule {
    /** How long a run may stay on one step before it is taken for a hang ({@link Stall}). */
    public static final Duration STALL = Duration.ofMinutes(3);
    private static final long POLL_MILLIS = 10;

    /** A point of a run: the start of a group (step 0), or one of its steps in progress (1, 2 …). */
    public record Point(int group, int step) {
    }

    /**
     * A kill made: where it aimed, where the last read before it showed the run, the run after it, and
     * what the kill action said (which node, what it saw).
     */
    public record Kill(int number, Point aimed, Point at, RunProgress after, String note) {
        /** Whether the run was still in progress after it (a kill in the middle of the run). */
        public boolean inTheMiddle() {
            return after.running();
        }
    }

    private final long seed;
    private final int wanted;
    private final List<String> steps;
    private final Random random;
    private final List<Kill> kills = new ArrayList<>();

    /**
     * @param seed  seeds the draws: the same seed on the same run draws the same points
     * @param kills how many kills it wants
     * @param steps the names of a group's steps, in order ({@link RunProgress#PREPARATION_STEPS})
     */
    public KillSchedule(long seed, int kills, List<String> steps) {
        this.seed = seed;
        this.wanted = kills;
        this.steps = List.copyOf(steps);
        this.random = new Random(seed);
    }

    /** Its generator, for a kill action that draws too (which node to kill): one seed replays everything. */
    public Random random() {
        return random;
    }

    public boolean wantsMore() {
        return kills.size() < wanted;
    }

    public List<Kill> kills() {
        return List.copyOf(kills);
    }

    /** Kills made while the run was in progress, and still in progress after them. */
    public long killsInTheMiddle() {
        return kills.stream().filter(Kill::inTheMiddle).count();
    }

    /**
     * Draws the next point from what is left of the run, waits for the run to reach it, and kills.
     * Empty when the run ended first.
     *
     * @param working whether a process still works on the run (false: it died by itself, a failure)
     * @param kill    kills, given the last progress read; returns a note for the failure message
     */
    public Optional<Kill> killAtNextPoint(Supplier<RunProgress> progress, BooleanSupplier working, Function<RunProgress, String> kill) {
        var now = progress.get();
        if (!now.running()) {
            return Optional.empty();
        }
        int perGroup = steps.size() + 1;
        int from = now.groupsDone() * perGroup; // the group in progress is redone from its start
        int left = now.groups() * perGroup - from;
        int stillWanted = wanted - kills.size();
        int target = from + random.nextInt(Math.max(1, left / (stillWanted + 1)));
        return killAt(new Point(target / perGroup, target % perGroup), progress, working, kill);
    }

    /**
     * Waits for the run to reach the point, reading its progress, and kills at the first read at or past
     * it. The step in progress at the first read counts as its group's start: a process just killed may
     * have left it, and whoever works next redoes the group. Empty when the run ended first.
     */
    public Optional<Kill> killAt(Point aimed, Supplier<RunProgress> progress, BooleanSupplier working,
                                 Function<RunProgress, String> kill) {
        var left = progress.get();
        var seen = left;
        var stall = new Stall(STALL);
        while (seen.running() && position(at(seen, left)) < position(aimed)) {
            if (!working.getAsBoolean()) {
                seen = progress.get();
                if (!seen.running()) {
                    break; // it ended with the run
                }
                throw new AssertionError("no process works on the run any more, at " + describe(seen) + ": " + report());
            }
            seen = progress.get();
            if (!stall.moved(seen, () -> "the run (next kill aimed at " + describe(aimed) + "; " + report() + ")")) {
                ModprepProcess.pause(POLL_MILLIS); // nothing moved: no use reading again at once
            }
        }
        if (!seen.running()) {
            return Optional.empty();
        }
        String note = kill.apply(seen);
        var made = new Kill(kills.size() + 1, aimed, at(seen, left), progress.get(), note);
        kills.add(made);
        return Optional.of(made);
    }

    /** Where the run is: the step {@code left} showed in progress, if it still does, counts as its group's start. */
    private static Point at(RunProgress progress, RunProgress left) {
        boolean leftOver = left.step() > 0 && progress.sameStepAs(left);
        return new Point(progress.groupsDone(), leftOver ? 0 : progress.step());
    }

    private int position(Point point) {
        return point.group() * (steps.size() + 1) + point.step();
    }

    /** "group 7 compile", "the start of group 7". */
    public String describe(Point point) {
        return point.step() == 0 ? "the start of group " + (point.group() + 1)
                : "group " + (point.group() + 1) + " " + steps.get(point.step() - 1);
    }

    /** "group 7/40 compile", "the start of group 7/40", "ended, 40/40 groups done". */
    public String describe(RunProgress progress) {
        if (!progress.running()) {
            return "ended, " + progress.groupsDone() + "/" + progress.groups() + " groups done";
        }
        String group = (progress.groupsDone() + 1) + "/" + progress.groups();
        return progress.step() == 0 ? "the start of group " + group : "group " + group + " " + steps.get(progress.step() - 1);
    }

    /** The seed and every kill, for a failure message. */
    public String report() {
        var text = new StringBuilder("seed ").append(seed).append(", ").append(kills.size()).append(" kill(s)");
        for (var k : kills) {
            text.append("; kill ").append(k.number()).append(": aimed at ").append(describe(k.aimed()))
                    .append(", killed at ").append(describe(k.at())).append(", after it ").append(describe(k.after()));
            if (k.note() != null && !k.note().isEmpty()) {
                text.append(" (").append(k.note()).append(')');
            }
        }
        return text.toString();
    }
}
