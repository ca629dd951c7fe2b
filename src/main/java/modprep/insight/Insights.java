package modprep.insight;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import modprep.db.Database;
import modprep.readmodel.Board;
import modprep.readmodel.NodeQueries;
import modprep.readmodel.RunView;
import modprep.readmodel.Stamp;
import modprep.readmodel.StatusBoard;

/**
 * What the console, the API and the CLI tell beyond the run's rows (I1-I3): the run's estimate, when
 * each module and application can be published, and which failure to fix first. Each is worked out
 * once per stamp or board and kept with it; the timings of ended runs, which never change, are kept
 * for good.
 */
public final class Insights {
    /** How long a known estimate is told again, counted down, before it is worked out anew. */
    private static final java.time.Duration RECENT = java.time.Duration.ofSeconds(1);

    private final Database database;
    private final StatusBoard board;
    private final Map<Long, List<GroupTiming>> ended = new ConcurrentHashMap<>();
    private volatile Eta latest;

    /** @param board the console's status board, or null (the CLI reads what it needs each time) */
    public Insights(Database database, StatusBoard board) {
        this.database = database;
        this.board = board;
    }

    /**
     * I1: the estimate of the stamp's latest run while it runs, else null; worked out once per stamp, and at most
     * once a second ({@link #RECENT}) once known: it reads every group of the run, and a run of 10,000 modules
     * ends a group every 50 ms. Between, the last one counts down.
     */
    public Eta eta(Stamp stamp) {
        var run = stamp.latestRun();
        if (run == null || !run.running()) {
            return null;
        }
        return board == null ? recentEta(run.id()) : board.memo(stamp, "eta", () -> recentEta(run.id()));
    }

    /** The run's estimate, worked out again only when the last one is older than {@link #RECENT} or was unknown. */
    public Eta recentEta(long runId) {
        var now = Instant.now();
        var last = latest;
        if (last != null && last.runId() == runId && last.known() && last.at().plus(RECENT).isAfter(now)) {
            return last.asOf(now, new RunTimings(database.dsl()).firstNotDone(runId));
        }
        var eta = eta(runId, now);
        latest = eta;
        return eta;
    }

    /**
     * I1: the estimate of a run, now (a run that ended has nothing left: its estimate is null), with the
     * nodes that compiled this run so far and those live now (P14).
     */
    public Eta eta(long runId) {
        return eta(runId, Instant.now());
    }

    /** The estimate of a run as at {@code now}. */
    Eta eta(long runId, Instant now) {
        var timings = new RunTimings(database.dsl());
        var groups = timings.groups(runId);
        if (groups.stream().allMatch(GroupTiming::done)) {
            return null;
        }
        var progress = timings.compileProgress(runId);
        var nodes = new EtaModel.Nodes(new NodeQueries(database.dsl()).compiledOn(runId), NodeQueries.live(database));
        return EtaModel.estimate(runId, now, groups, progress, timings.earlier(runId, ended), nodes);
    }

    /** I3: the board's failures, the one to fix first first. */
    public List<FixFirst.Blocker> fixFirst(Board current) {
        return current.memo("fix-first", () -> {
            var applications = new HashMap<String, String>();
            current.snapshot().modules().forEach((name, m) -> applications.put(name, m.application()));
            return FixFirst.rank(current.snapshot().publishedGraph(), current.statuses(), applications);
        });
    }

    /** I3 for the banner of a run that ended with failures: the first to fix, or null. */
    public FixFirst.Blocker fixFirst(Stamp stamp) {
        var run = stamp.latestRun();
        if (board == null || run == null || run.running() || run.counts().failed() == 0 || !run.toVersion().equals(stamp.version())) {
            return null;
        }
        var ranked = fixFirst(board.current(stamp));
        return ranked.isEmpty() ? null : ranked.get(0);
    }

    /** I2: when a module can be published (null for one only uploaded: its producers are known once published). */
    public Publishability module(Board current, String name, Eta eta) {
        var module = current.snapshot().module(name);
        if (module == null || !module.published()) {
            return null;
        }
        return Publishability.ofModule(module.publishedProducers(), current.statuses(), lockedUntil(current, name), eta);
    }

    /** P7: the group until which the run holds a module (its own group in progress, or a sequential run's last), or null. */
    static Integer lockedUntil(Board current, String name) {
        var run = current.stamp().latestRun();
        var status = current.statuses().get(name);
        if (run != null && run.running() && run.sequential() && run.toVersion().equals(current.version().toString())) {
            return run.groupCount();
        }
        return status != null && status.status().locked() ? status.run().group() : null;
    }

    /** I2 for every application, with what its team can publish now; once per board and estimate. */
    public Map<String, Applications.Row> applications(Board current, Eta eta) {
        return current.memo("insight-applications " + (eta == null ? "" : eta.at()), () -> Applications.of(current, eta));
    }

    /** The estimate of the run a view shows, if it is the one running. */
    public Eta etaOf(RunView run, Stamp stamp) {
        return run != null && stamp.latestRun() != null && stamp.latestRun().id() == run.id() ? eta(stamp) : null;
    }
}
