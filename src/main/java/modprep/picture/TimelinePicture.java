package modprep.picture;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import modprep.readmodel.Timeline;
import modprep.status.GroupStatus;
import modprep.status.ModuleStatus;

/**
 * A run's timeline as SVG: one bar per group (or per few consecutive groups) from its start to its
 * end, a bar with failures red and marked "✕ N failed", the group in progress striped and marked
 * "in progress"; the axis gives the run's start and end.
 */
public final class TimelinePicture {
    private static final int WIDTH = 760;
    private static final int LABELS = 120;
    private static final int NOTES = 150;
    private static final int ROW = 20;
    private static final int TOP = 8;

    private TimelinePicture() {
    }

    public static String svg(Timeline timeline, Function<Instant, String> time) {
        int plot = WIDTH - LABELS - NOTES;
        int height = TOP + Math.max(1, timeline.bars().size()) * ROW + 36;
        long span = Math.max(1, Duration.between(timeline.start(), timeline.end()).toMillis());
        var svg = new Svg("timeline-picture", WIDTH, height, "Timeline of preparation run #" + timeline.runId(), description(timeline));
        for (int i = 0; i < timeline.bars().size(); i++) {
            var bar = timeline.bars().get(i);
            double y = TOP + i * ROW;
            double x0 = LABELS + plot * offset(timeline.start(), bar.startedAt(), span);
            double x1 = LABELS + plot * offset(timeline.start(), bar.finishedAt() == null ? timeline.end() : bar.finishedAt(), span);
            String outcome = bar.running() ? GroupStatus.RUNNING.code() : bar.failed() > 0 ? ModuleStatus.FAILED.code()
                    : bar.blocked() > 0 ? ModuleStatus.BLOCKED.code() : GroupStatus.DONE.code();
            svg.open("g", "pic-bar pic-bar-" + outcome, "group=" + bar.label());
            svg.text(LABELS - 6, y + 13, bar.label(), "pic-label", "end");
            svg.rect(x0, y + 2, Math.max(2, x1 - x0), ROW - 6, "pic-bar-box", "outcome=" + outcome);
            svg.text(Math.min(x1 + 6, LABELS + plot + 4), y + 13, note(bar), "pic-label", "start");
            svg.close("g");
        }
        double axis = TOP + Math.max(1, timeline.bars().size()) * ROW + 6;
        svg.line(LABELS, axis, LABELS + plot, axis, "pic-axis");
        svg.text(LABELS, axis + 16, time.apply(timeline.start()), "pic-label", "start");
        svg.text(LABELS + plot, axis + 16, time.apply(timeline.end()), "pic-label", "end");
        return svg.end();
    }

    /** What a bar's end says: failures with a cross, then blocked, or in progress, or the modules prepared. */
    static String note(Timeline.Bar bar) {
        if (bar.running()) {
            return "in progress";
        }
        if (bar.failed() > 0) {
            return "✕ " + bar.failed() + " failed" + (bar.blocked() > 0 ? ", " + bar.blocked() + " blocked" : "");
        }
        if (bar.blocked() > 0) {
            return "⚠ " + bar.blocked() + " blocked";
        }
        return "✓ " + bar.prepared() + " prepared";
    }

    private static double offset(Instant start, Instant at, long span) {
        return Math.min(1, Math.max(0, Duration.between(start, at).toMillis() / (double) span));
    }

    private static String description(Timeline timeline) {
        int failed = timeline.bars().stream().mapToInt(Timeline.Bar::failed).sum();
        return timeline.groupCount() + " groups, " + (timeline.groupCount() - timeline.notStarted()) + " started"
                + (timeline.bars().size() < timeline.groupCount() - timeline.notStarted() ? ", drawn in " + timeline.bars().size() + " bars" : "")
                + "; " + failed + " modules failed. The table below gives each bar's times and counts.";
    }
}
