package modprep.web;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import modprep.picture.NeighbourhoodPicture;
import modprep.picture.ProgressPicture;
import modprep.picture.TimelinePicture;
import modprep.readmodel.Board;
import modprep.readmodel.PictureQueries;
import modprep.readmodel.RunView;
import modprep.readmodel.Stamp;
import modprep.readmodel.StatusBoard;

/**
 * The pictures of the module page, the run page and the current details: each an SVG drawn on the
 * server and its table alternative. The module's and the current run's are rendered as HTML once per
 * moment; the run page's timeline is in that page's region, rendered once per moment too.
 */
final class PicturePages {
    private static final Format FORMAT = new Format();

    /** How long the progress picture of a run in progress is kept while its stamp does not move. */
    private static final long REDRAWN_EVERY_SECONDS = 5;

    private final PictureQueries queries;
    private final StatusBoard board;
    private final Pages pages;
    private final Clock clock;

    PicturePages(PictureQueries queries, StatusBoard board, Pages pages, Clock clock) {
        this.queries = queries;
        this.board = board;
        this.pages = pages;
        this.clock = clock;
    }

    /** The module's neighbourhood, picture and table, rendered once per board and module. */
    void neighbourhood(Map<String, Object> model, Board board, String module) {
        model.put("neighbourhoodHtml", board.memo("neighbourhood\u0000" + module, () -> {
            var hood = queries.neighbourhood(board, module);
            return section("neighbourhood", Map.of("neighbourhood", hood, "neighbourhoodSvg", NeighbourhoodPicture.svg(hood)));
        }));
    }

    /** The run's groups over time. */
    void timeline(Map<String, Object> model, long runId) {
        var timeline = queries.timeline(runId, clock.instant());
        model.put("timeline", timeline);
        model.put("timelineSvg", TimelinePicture.svg(timeline, FORMAT::time));
    }

    /**
     * Prepared modules over time for the run shown on the current details page, with a projection to the
     * run's expected end when its estimate is known (I1), else none.
     */
    void progress(Map<String, Object> model, Stamp stamp, Instant expectedEnd) {
        RunView run = stamp.latestRun();
        if (run == null) {
            return;
        }
        // Once per stamp; while the run goes on, the line to now is drawn again every few seconds at most.
        var now = clock.instant();
        String key = "progress " + expectedEnd + (run.running() ? " " + now.getEpochSecond() / REDRAWN_EVERY_SECONDS : "");
        model.put("progressHtml", board.memo(stamp, key, () -> {
            var progress = queries.progress(stamp, now, expectedEnd);
            return section("progress", Map.of("progress", progress, "progressSvg", ProgressPicture.svg(progress, FORMAT::time)));
        }));
    }

    /** A picture's section of fragments/pictures, picture and table alternative (its rows cost more than the SVG). */
    private Html section(String name, Map<String, Object> model) {
        return pages.fragment("fragments/pictures", name, new java.util.HashMap<>(model));
    }
}
