package modprep.picture;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;
import modprep.readmodel.Progress;

/**
 * Prepared modules over time as SVG: a step line from the run's start, the total as a dashed ceiling,
 * and, once an ETA is known ({@link Progress#expectedEnd()}, the ETA hook), a dotted projection to the
 * total at the expected end.
 */
public final class ProgressPicture {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 220;
    private static final int LEFT = 56;
    private static final int RIGHT = 24;
    private static final int TOP = 16;
    private static final int BOTTOM = 36;

    private ProgressPicture() {
    }

    public static String svg(Progress progress, Function<Instant, String> time) {
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        Instant end = progress.expectedEnd() != null && progress.expectedEnd().isAfter(progress.end()) ? progress.expectedEnd() : progress.end();
        long span = Math.max(1, Duration.between(progress.start(), end).toMillis());
        int total = Math.max(1, progress.total());
        var svg = new Svg("progress-picture", WIDTH, HEIGHT, "Prepared modules over time, run #" + progress.runId(), description(progress, time));
        svg.line(LEFT, TOP, LEFT, TOP + plotH, "pic-axis").line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "pic-axis");
        svg.line(LEFT, TOP, LEFT + plotW, TOP, "pic-total");
        svg.text(LEFT - 6, TOP + 4, String.valueOf(progress.total()), "pic-label", "end");
        svg.text(LEFT - 6, TOP + plotH + 4, "0", "pic-label", "end");
        svg.text(LEFT, HEIGHT - 10, time.apply(progress.start()), "pic-label", "start");
        svg.text(LEFT + plotW, HEIGHT - 10, time.apply(end), "pic-label", "end");
        var points = new StringBuilder();
        double lastX = LEFT;
        double lastY = TOP + plotH;
        for (var point : progress.points()) {
            double x = LEFT + plotW * Math.min(1, Duration.between(progress.start(), point.at()).toMillis() / (double) span);
            double y = TOP + plotH - plotH * point.prepared() / (double) total;
            // Steps: the count rises when a group is saved, not in between.
            points.append(xy(x, lastY)).append(' ').append(xy(x, y)).append(' ');
            lastX = x;
            lastY = y;
        }
        double nowX = LEFT + plotW * Math.min(1, Duration.between(progress.start(), progress.end()).toMillis() / (double) span);
        points.append(xy(Math.max(lastX, nowX), lastY));
        svg.polyline(points.toString().strip(), "pic-progress");
        if (progress.expectedEnd() != null) {
            svg.line(Math.max(lastX, nowX), lastY, LEFT + plotW, TOP, "pic-projection");
            svg.text(LEFT + plotW, TOP + 14, "expected end", "pic-label", "end");
        }
        return svg.end();
    }

    private static String xy(double x, double y) {
        return String.format(Locale.ROOT, "%.1f,%.1f", x, y);
    }

    private static String description(Progress progress, Function<Instant, String> time) {
        return progress.prepared() + " of " + progress.total() + " modules prepared between " + time.apply(progress.start()) + " and "
                + time.apply(progress.end()) + (progress.expectedEnd() == null ? "" : "; expected to end " + time.apply(progress.expectedEnd()))
                + ". The table below gives the count after each saved group.";
    }
}
