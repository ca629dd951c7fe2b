package modprep.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import modprep.readmodel.RunQueries;
import modprep.readmodel.RunView;

/**
 * Runs as the pages (U3, U4) and the API show them. A run that ended never changes (its groups, steps,
 * modules and failures are written before it ends), so what is read and rendered of it is kept: its
 * page's run region for each page of groups, and its JSON. A run in progress is rendered once per stamp
 * (its JSON is read each time). The report of every run changes only with the latest one, which the request's stamp holds: it is read once
 * per stamp.
 */
final class RunPages {
    /** Groups shown per page of a run: a run of thousands of modules stays quick to show. */
    static final int GROUPS_PER_PAGE = 20;
    /** Failures shown per page, with their whole diagnostics: a run with hundreds stays readable. */
    static final int FAILURES_PER_PAGE = 20;
    /** Failures shown ranked by what they block (I3). */
    static final int FIX_FIRST_SHOWN = 10;
    /** At most this many bytes of ended runs' pages and JSON are kept, the least recently used let go first. */
    private static final long KEPT_BYTES = 64L * 1024 * 1024;

    private final Pages pages;
    private final RequestState state;
    private final Regions regions;
    private final RunQueries runs;
    private final Kept kept = new Kept(KEPT_BYTES);

    private final PicturePages pictures;

    RunPages(Pages pages, RequestState state, Regions regions, RunQueries runs, PicturePages pictures) {
        this.pictures = pictures;
        this.pages = pages;
        this.state = state;
        this.regions = regions;
        this.runs = runs;
    }

    /** Every run, newest first, with its counts (U3): read once per stamp. */
    List<RunView> all(Context ctx) {
        var stamp = state.stamp(ctx);
        return state.statusBoard().memo(stamp, "runs", () -> runs.all(stamp));
    }

    /** The JSON of every run, as {@code GET /api/preparations} serves it: made once per stamp. */
    void allJson(Context ctx) throws IOException {
        state.statusBoard().memo(state.stamp(ctx), "runs-json", () -> JsonBody.of(all(ctx))).send(ctx);
    }

    /**
     * The JSON of one run with its groups, steps and modules ({@code GET /api/preparations/{id}},
     * {@code /api/status}): read afresh while the run goes on (its steps move within a group, which the
     * stamp does not follow), kept with its gzipped bytes once it ended.
     */
    void json(Context ctx, long id) throws IOException {
        JsonBody body = runs.ended(id) ? kept.get("json " + id, () -> JsonBody.of(runs.run(id, true)), JsonBody::size)
                : JsonBody.of(runs.run(id, true));
        body.send(ctx);
    }

    PicturePages pictures() {
        return pictures;
    }

    /** U4: one run, a page of its groups, a page of its failures with their diagnostics, what it left out. */
    void show(Context ctx, long id) {
        var run = runs.run(id, false);
        int pageCount = pages(run.groupCount(), GROUPS_PER_PAGE);
        int page = page(ctx, "page", pageCount);
        int failurePageCount = pages(run.counts().failed(), FAILURES_PER_PAGE);
        // ?failure=NAME (a "javac errors" link) shows the page of failures that holds that module's.
        String failure = ctx.queryParam("failure");
        int failureIndex = failure == null ? -1 : runs.failureIndex(id, failure);
        int failurePage = failureIndex >= 0 ? failureIndex / FAILURES_PER_PAGE + 1 : page(ctx, "failures", failurePageCount);
        Supplier<Map<String, Object>> details = () -> {
            int from = (page - 1) * GROUPS_PER_PAGE + 1;
            var model = new LinkedHashMap<String, Object>();
            model.put("run", state.stamp(ctx).shown(run));
            model.put("groups", runs.groups(id, from, from + GROUPS_PER_PAGE - 1));
            model.put("page", page);
            model.put("pageCount", pageCount);
            model.put("failures", runs.failures(id, (failurePage - 1) * FAILURES_PER_PAGE, FAILURES_PER_PAGE));
            model.put("failurePage", failurePage);
            model.put("failurePageCount", failurePageCount);
            model.put("groupsPerPage", GROUPS_PER_PAGE);
            model.put("failuresPerPage", FAILURES_PER_PAGE);
            model.put("excluded", runs.excluded(id));
            pictures.timeline(model, id);
            model.put("priorities", runs.priorities(id));
            return model;
        };
        // The run region, rendered once for this page of groups and failures: for good once the run ended,
        // for the request's stamp while it runs (a group starting or ending moves the stamp, as it moves the
        // live updates). The page around it once per stamp for every session (Pages#renderShared).
        String key = "page " + id + " " + page + " " + failurePage;
        // The board first (RequestState#board), so that the region and the banner follow its moment.
        var fixFirst = fixFirst(ctx, run);
        Supplier<Html> region = () -> pages.fragment("preparation", "live-run", details.get());
        var latest = state.stamp(ctx).latestRun();
        // While it runs, the region is read again if the run moved on meanwhile, so that it and the banner
        // show the same moment.
        Html html = run.ended() ? kept.get(key, region, h -> (long) h.text().length())
                : latest != null && latest.id() == id && latest.running()
                ? state.consistent(ctx, () -> regions.of(state.stamp(ctx), key, region))
                : null;
        if (html != null) {
            var model = pages.model(ctx);
            model.put("fixFirst", fixFirst);
            model.put("run", state.stamp(ctx).shown(run));
            model.put("runHtml", html);
            pages.renderShared(ctx, "preparation", model, false);
            return;
        }
        var model = pages.model(ctx);
        model.putAll(details.get());
        model.put("fixFirst", fixFirst);
        pages.render(ctx, "preparation", model);
    }

    /**
     * I3: the failures ranked by what they block now, for the latest run of the current version (an older
     * run's failures may be fixed since); null for other runs. Read from the board, so it is outside the
     * kept run region.
     */
    private List<modprep.insight.FixFirst.Blocker> fixFirst(Context ctx, RunView run) {
        var latest = state.stamp(ctx).latestRun();
        if (latest == null || latest.id() != run.id() || latest.counts().failed() == 0 || !run.toVersion().equals(state.stamp(ctx).version())) {
            return null;
        }
        var ranked = pages.insights().fixFirst(state.board(ctx));
        return ranked.subList(0, Math.min(FIX_FIRST_SHOWN, ranked.size()));
    }

    private static int pages(int items, int perPage) {
        return Math.max(1, (items + perPage - 1) / perPage);
    }

    /** The page a query parameter asks for, within 1 and the last page (a page out of range shows the nearest). */
    private static int page(Context ctx, String parameter, int pageCount) {
        return Math.max(1, Math.min(pageCount, ctx.queryParamAsClass(parameter, Integer.class).getOrDefault(1)));
    }

    /** What is kept of ended runs, the least recently used let go first beyond a size in bytes. */
    static final class Kept {
        private final long budget;
        private final LinkedHashMap<String, Object> values = new LinkedHashMap<>(16, 0.75f, true);
        private final Map<String, Long> sizes = new HashMap<>();
        private long size;

        Kept(long budget) {
            this.budget = budget;
        }

        @SuppressWarnings("unchecked")
        <T> T get(String key, Supplier<T> compute, java.util.function.ToLongFunction<T> sizeOf) {
            synchronized (this) {
                var value = values.get(key);
                if (value != null) {
                    return (T) value;
                }
            }
            // Computed outside the lock: two requests may both compute it the first time, which is harmless.
            T value = compute.get();
            long bytes = sizeOf.applyAsLong(value);
            if (bytes > budget / 4) {
                return value; // kept, it would push out nearly everything else
            }
            synchronized (this) {
                values.put(key, value);
                Long previous = sizes.put(key, bytes);
                size += bytes - (previous == null ? 0 : previous);
                var eldest = values.keySet().iterator();
                while (size > budget && eldest.hasNext()) {
                    String k = eldest.next();
                    if (!k.equals(key)) {
                        size -= sizes.remove(k);
                        eldest.remove();
                    }
                }
            }
            return value;
        }
    }
}
