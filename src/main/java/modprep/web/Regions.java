package modprep.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import modprep.readmodel.Board;
import modprep.readmodel.Stamp;
import modprep.readmodel.StatusBoard;

/**
 * Regions of pages that depend only on the board (or the stamp) and the request's query: a page of
 * modules, of applications, of a module's consumers, the runs report, and what a module's page is read
 * from; and the whole pages that {@link Pages#renderShared} renders for every session. Each is rendered
 * (or read) once per board and key.
 */
final class Regions {
    /** Regions kept per board (or per stamp): a page's lists for this many queries at most. */
    private static final int KEPT = 256;
    /** Whole pages kept per stamp, each of at most {@link #LARGEST_PAGE} bytes: 16 MB at most. */
    private static final int KEPT_PAGES = 64;
    /** A larger page (a run's failures with long compiler output) is rendered for each request, as before. */
    private static final int LARGEST_PAGE = 256 * 1024;

    private final StatusBoard board;

    Regions(StatusBoard board) {
        this.board = board;
    }

    /** A region of the board, or what one is made from; the least recently used of a board's are let go first. */
    <T> T of(Board current, String key, Supplier<T> render) {
        return render(current.memo("regions", Regions::kept), key, render);
    }

    /** A region that depends only on the stamp (the runs report). */
    <T> T of(Stamp stamp, String key, Supplier<T> render) {
        return render(board.memo(stamp, "regions", Regions::kept), key, render);
    }

    /** A whole page shared by sessions ({@link Pages#renderShared}), kept per stamp apart from the regions. */
    byte[] page(Stamp stamp, String key, Supplier<byte[]> render) {
        var kept = board.memo(stamp, "pages", () -> kept(KEPT_PAGES));
        byte[] page = render(kept, key, render);
        if (page.length > LARGEST_PAGE) {
            kept.remove(key);
        }
        return page;
    }

    private static Map<String, CompletableFuture<Object>> kept() {
        return kept(KEPT);
    }

    private static Map<String, CompletableFuture<Object>> kept(int most) {
        return Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Object>> eldest) {
                return size() > most;
            }
        });
    }

    /**
     * Rendered by the first request that needs it; the others that need it meanwhile wait for that one
     * (when a run moves on, dozens of requests would otherwise render the same new region at once).
     */
    @SuppressWarnings("unchecked") // each key is given values of one type
    private static <T> T render(Map<String, CompletableFuture<Object>> regions, String key, Supplier<T> render) {
        var mine = new CompletableFuture<Object>();
        var known = regions.putIfAbsent(key, mine);
        if (known != null) {
            return (T) known.join();
        }
        try {
            T html = render.get();
            mine.complete(html);
            return html;
        } catch (RuntimeException | Error e) {
            regions.remove(key, mine); // the next request tries again
            mine.completeExceptionally(e);
            throw e;
        }
    }
}
