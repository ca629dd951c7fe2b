package modprep.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The kill schedule on a simulated run whose pace between two reads of its progress is drawn at
 * random: from one step to a whole group, as a fast machine (or a poll delayed on a loaded one) would
 * show it. Whatever the pace, the kills all land in the middle of the run.
 */
class KillScheduleTest {
    private static final int GROUPS = 40;
    private static final int PER_GROUP = RunProgress.PREPARATION_STEPS.size() + 1;

    /**
     * A run of {@link #GROUPS} groups. Each read moves it on by 1 to {@code maxPace} points; a kill leaves
     * its step in progress as it was for the next two reads (what a killed process leaves in the
     * database), then whoever works next redoes the group from its start.
     */
    private static final class SimulatedRun implements Supplier<RunProgress> {
        private final Random pace;
        private final int maxPace;
        private int position;
        private int attempt;
        private RunProgress leftOver;
        private int leftOverReads;

        SimulatedRun(long seed, int maxPace) {
            this.pace = new Random(seed);
            this.maxPace = maxPace;
        }

        @Override
        public RunProgress get() {
            if (leftOverReads > 0) {
                leftOverReads--;
                return leftOver;
            }
            position = Math.min(GROUPS * PER_GROUP, position + 1 + pace.nextInt(maxPace));
            return progress();
        }

        private RunProgress progress() {
            int step = position % PER_GROUP;
            var started = step == 0 ? null : OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusSeconds(attempt * 1000L + position);
            return new RunProgress(GROUPS, position / PER_GROUP, step, started, position < GROUPS * PER_GROUP);
        }

        String kill() {
            leftOver = progress();
            leftOverReads = 2;
            position -= position % PER_GROUP;
            attempt++;
            return "";
        }
    }

    private static KillSchedule killThroughout(long seed, int maxPace) {
        var run = new SimulatedRun(seed, maxPace);
        var schedule = new KillSchedule(seed, 12, RunProgress.PREPARATION_STEPS);
        while (schedule.wantsMore() && schedule.killAtNextPoint(run, () -> true, seen -> run.kill()).isPresent()) {
            // the next process resumes the run
        }
        return schedule;
    }

    @Test
    void twelve_kills_land_in_the_middle_of_a_forty_group_run_whatever_its_pace_between_two_reads() {
        for (int maxPace : List.of(1, 2, 3, PER_GROUP)) {
            for (long seed = 1; seed <= 300; seed++) {
                var schedule = killThroughout(seed, maxPace);
                assertEquals(12, schedule.killsInTheMiddle(), "pace up to " + maxPace + ": " + schedule.report());
            }
        }
    }

    @Test
    void the_kills_fall_on_starts_of_groups_and_on_each_step_a_run_shows_in_progress() {
        var kinds = new HashSet<Integer>();
        var groups = new HashSet<Integer>();
        for (long seed = 1; seed <= 50; seed++) {
            for (var kill : killThroughout(seed, 1).kills()) {
                kinds.add(kill.at().step());
                groups.add(kill.at().group());
            }
        }
        assertEquals(PER_GROUP, kinds.size(), "a group's start and each of its five steps: " + kinds);
        assertTrue(groups.size() > GROUPS / 2, "kills spread over the run's groups: " + groups);
    }

    @Test
    void the_same_seed_on_the_same_run_kills_at_the_same_points() {
        assertEquals(killThroughout(20_261_125L, 3).report(), killThroughout(20_261_125L, 3).report());
    }
}
