package modprep.readmodel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How many of a run's modules were prepared over time, for the current details' picture: one point
 * per group saved, thinned to at most {@link #MAX_POINTS} (the last is always kept).
 */
public record Progress(long runId, int total, Instant start, Instant end, List<Point> points, Instant expectedEnd) {
    public static final int MAX_POINTS = 120;

    public record Point(Instant at, int prepared) {
    }

    /**
     * @param saved each group's end and the modules it prepared, in the order they were saved
     * @param expectedEnd the ETA hook: when the run is expected to end, drawn as a projection; null until an ETA is known
     */
    public static Progress of(long runId, int total, Instant start, Instant end, List<Point> saved, Instant expectedEnd) {
        var cumulative = new ArrayList<Point>();
        cumulative.add(new Point(start, 0));
        int sum = 0;
        for (var point : saved) {
            sum += point.prepared();
            cumulative.add(new Point(point.at(), sum));
        }
        int step = Math.max(1, (cumulative.size() + MAX_POINTS - 1) / MAX_POINTS);
        var points = new ArrayList<Point>();
        for (int i = 0; i < cumulative.size(); i += step) {
            points.add(cumulative.get(i));
        }
        if (!points.get(points.size() - 1).equals(cumulative.get(cumulative.size() - 1))) {
            points.add(cumulative.get(cumulative.size() - 1));
        }
        return new Progress(runId, total, start, end, points, expectedEnd);
    }

    public int prepared() {
        return points.get(points.size() - 1).prepared();
    }

    /** This progress with an ETA (the insight feature's estimate), for the picture to draw. */
    public Progress withExpectedEnd(Instant eta) {
        return new Progress(runId, total, start, end, points, eta);
    }
}
