package modprep.web;

import io.javalin.http.Context;
import java.util.function.Supplier;
import modprep.readmodel.Board;
import modprep.readmodel.Stamp;
import modprep.readmodel.StatusBoard;

/**
 * The one moment a request shows: the stamp it read first and, when it needs one, the board of that
 * stamp. The banner, the sidebar and the body are all rendered from it, so they never disagree.
 */
final class RequestState {
    private static final String STAMP = "modprep.stamp";
    private static final String BOARD = "modprep.board";
    /** A body read while the run moves on is read again, at most this many times, to match its stamp. */
    private static final int READS = 3;

    private final StatusBoard board;

    RequestState(StatusBoard board) {
        this.board = board;
    }

    StatusBoard statusBoard() {
        return board;
    }

    /** The stamp of this request: read once, on first use. */
    Stamp stamp(Context ctx) {
        Stamp stamp = ctx.attribute(STAMP);
        if (stamp == null) {
            stamp = board.stamp();
            ctx.attribute(STAMP, stamp);
        }
        return stamp;
    }

    /**
     * Every module's status at this request's moment. Under load the board may be one a moment older
     * than the stamp read (see StatusBoard#current): the request then shows that board's moment.
     */
    Board board(Context ctx) {
        Board current = ctx.attribute(BOARD);
        if (current == null) {
            current = board.current(stamp(ctx));
            ctx.attribute(BOARD, current);
            ctx.attribute(STAMP, current.stamp());
        }
        return current;
    }

    /**
     * Rows a page reads beside its stamp (a run's groups, the group in progress), read so that they are
     * those of the request's stamp: if the stamp moved while they were read, the request takes the new
     * stamp and reads them again.
     */
    <T> T consistent(Context ctx, Supplier<T> read) {
        T value = read.get();
        for (int attempt = 1; attempt < READS; attempt++) {
            var after = board.stamp();
            if (after.equals(stamp(ctx))) {
                return value;
            }
            ctx.attribute(STAMP, after);
            value = read.get();
        }
        return value;
    }
}
