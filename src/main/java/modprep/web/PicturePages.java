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
 * server and the data of its table alternative, put into the page's model.
 */
final class PicturePages {
    private static final Format FORMAT = new Format();

    /** How long the progress picture of a run in progress is kept while its stamp does not move. */
    private static final long REDRAWN_EVERY_SECONDS = 5;

    private final PictureQueries queries;
    private final StatusBoard board;
    private final Clock clock;

    PicturePages(PictureQueries queries, StatusBoard board, Clock clock) {
        this.queries = queries;
        this.board = board;
        this.clock = clock;
    }

    /** The module's neighbourhood, computed once per board and module. */
    void neighbourhood(Map<String, Object> model, Board board, String module) {
        var hood = board.memo("neighbourhood\u0000" + module, () -> queries.neighbourhood(board, module));
        model.put("neighbourhood", hood);
        model.put("neighbourhoodSvg", board.memo("neighbourhood-svg\u0000" + module, () -> NeighbourhoodPicture.svg(hood)));
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
        record Drawn(modprep.readmodel.Progress progress, String svg) {
        }
        var drawn = board.memo(stamp, key, () -> {
            var progress = queries.progress(run.id(), now, expectedEnd);
            return new Drawn(progress, ProgressPicture.svg(progress, FORMAT::time));
        });
        model.put("progress", drawn.progress());
        model.put("progressSvg", drawn.svg());
    }
}
