package modprep.readmodel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's groups as bars over time, for the run page's picture. A run of many groups is drawn in at
 * most {@link #MAX_BARS} bars: consecutive groups share a bar ("groups 41–60"), with their counts added.
 */
public record Timeline(long runId, Instant start, Instant end, List<Bar> bars, int groupCount, int notStarted) {
    public static final int MAX_BARS = 50;

    /** One group, or consecutive groups, with when they ran and how their modules ended. */
    public record Bar(int firstGroup, int lastGroup, Instant startedAt, Instant finishedAt, int modules, int prepared, int failed,
                      int blocked) {
        public String label() {
            return firstGroup == lastGroup ? "group " + firstGroup : "groups " + firstGroup + "–" + lastGroup;
        }

        public boolean running() {
            return finishedAt == null;
        }

        Bar merge(Bar next) {
            return new Bar(firstGroup, next.lastGroup, startedAt, next.finishedAt, modules + next.modules, prepared + next.prepared,
                    failed + next.failed, blocked + next.blocked);
        }
    }

    /** @param started the started groups in order; {@code now} ends the picture of a run still going */
    public static Timeline of(long runId, Instant runStart, Instant runEnd, Instant now, int groupCount, List<Bar> started) {
        int perBar = Math.max(1, (started.size() + MAX_BARS - 1) / MAX_BARS);
        var bars = new ArrayList<Bar>();
        for (int i = 0; i < started.size(); i += perBar) {
            var bar = started.get(i);
            for (int j = i + 1; j < Math.min(i + perBar, started.size()); j++) {
                bar = bar.merge(started.get(j));
            }
            bars.add(bar);
        }
        return new Timeline(runId, runStart, runEnd == null ? now : runEnd, bars, groupCount, groupCount - started.size());
    }
}
