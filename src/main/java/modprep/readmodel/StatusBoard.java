package modprep.readmodel;

import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;
import static modprep.db.schema.Tables.RUN_MODULE;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.environment.Currentness;
import modprep.environment.EnvironmentSnapshot;
import modprep.environment.PreparationView;
import modprep.platform.PlatformVersion;
import modprep.preparation.PreparationViewRepository;
import modprep.status.GroupStatus;
import modprep.status.ModuleStatus;
import modprep.status.RunStatus;
import modprep.status.VersionStatus;
import org.jooq.Records;
import org.jooq.impl.DSL;

/**
 * Every module's status for the current version, as the console shows it, computed once and reused
 * until something it depends on changes. Pages over thousands of modules then filter and page in
 * memory instead of querying per row.
 *
 * <p>Whether anything changed is one cheap statement per request (two while a run is running), the
 * {@link Stamp}: the environment's version and revision, how many compilations there are and the time of
 * the latest, the latest run's row and, while it runs, the state of its group in progress. Every write
 * that changes a status moves one of them: publish, upload, delete and upgrade bump the revision; the
 * worker starts and ends each group (and saves its compilations with its end).
 *
 * <p>The board is exact for its stamp. When only a running run moved on (the same version, revision and
 * run), it is brought up to date incrementally: the compilations saved since, the run rows of the groups
 * started or ended since (and of the modules blocked since), and which modules are current now, worked
 * out again only for the units those touch and their consumers, in order (the same rule as
 * {@link EnvironmentSnapshot#isCurrent}). Anything else reads the environment again (a few hundred
 * milliseconds at 10,000 modules). Boards are immutable once published.
 */
public final class StatusBoard {
    private final Database database;
    private volatile Board board;
    private volatile Memo memo;
    private final ReentrantLock lock = new ReentrantLock();

    public StatusBoard(Database database) {
        this.database = database;
    }

    /**
     * What the console's pages were computed from. {@code latestRun} is the latest run (any version, no
     * groups), with its counts: the banner and sidebar show it. {@code group}, {@code groupStatus} and
     * {@code groupStartedAt} describe its group in progress while it runs (nulls otherwise).
     */
    public record Stamp(String version, long revision, long builds, OffsetDateTime lastBuild, RunView latestRun,
                        Integer group, GroupStatus groupStatus, OffsetDateTime groupStartedAt) {
        Long runId() {
            return latestRun == null ? null : latestRun.id();
        }

        boolean running() {
            return latestRun != null && latestRun.running();
        }
    }

    /**
     * The environment and every module's status for its current version, for one stamp. The snapshot
     * gives the modules, their applications and the graph; statuses come from {@link #statuses()} only
     * (during a run they are newer than the snapshot's compilations). Pages keep what they derive from a
     * board in {@link #memo}.
     */
    public static final class Board {
        private final Stamp stamp;
        private final PlatformVersion version;
        private final EnvironmentSnapshot snapshot;
        private final Map<String, VersionStatus> statuses;
        private final PreparationView.LatestRun run;
        private final Currentness currentness;
        private final Map<String, Object> memos = new ConcurrentHashMap<>();

        private Board(Stamp stamp, EnvironmentSnapshot snapshot, Map<String, VersionStatus> statuses,
                      PreparationView.LatestRun run, Currentness currentness) {
            this.stamp = stamp;
            this.version = snapshot.version();
            this.snapshot = snapshot;
            this.statuses = statuses;
            this.run = run;
            this.currentness = currentness;
        }

        public Stamp stamp() {
            return stamp;
        }

        public PlatformVersion version() {
            return version;
        }

        public EnvironmentSnapshot snapshot() {
            return snapshot;
        }

        public Map<String, VersionStatus> statuses() {
            return statuses;
        }

        /** Something derived from this board, computed once by whichever request asks first. */
        @SuppressWarnings("unchecked")
        public <T> T memo(String key, Supplier<T> compute) {
            var value = memos.get(key);
            if (value == null) {
                value = compute.get();
                var raced = memos.putIfAbsent(key, value);
                value = raced == null ? value : raced;
            }
            return (T) value;
        }
    }

    /** Things derived from a stamp alone (the runs report, a finished run's JSON), kept until the stamp changes. */
    private record Memo(Stamp stamp, Map<String, Object> values) {
    }

    /**
     * The stamp now, in one statement: one statement sees one moment, so a group that ends meanwhile
     * cannot pair its new state with the compilations and counts from before.
     */
    public Stamp stamp() {
        var latest = PREPARATION_RUN.as("latest");
        var builds = DSL.field(DSL.select(DSL.count()).from(MODULE_BUILD));
        var lastBuild = DSL.field(DSL.select(DSL.max(MODULE_BUILD.BUILT_AT)).from(MODULE_BUILD));
        var open = RUN_GROUP.as("open");
        var inProgress = RUN_GROUP.as("in_progress");
        var row = database.dsl().select(ENVIRONMENT.PLATFORM_VERSION, ENVIRONMENT.REVISION, builds, lastBuild)
                .select(PREPARATION_RUN.fields())
                .select(inProgress.SEQ, inProgress.STATUS, inProgress.STARTED_AT)
                .from(ENVIRONMENT)
                .leftJoin(PREPARATION_RUN).on(PREPARATION_RUN.ID.eq(DSL.field(DSL.select(DSL.max(latest.ID)).from(latest))))
                // The run's first group not done: the one in progress (or next) while it runs.
                .leftJoin(inProgress).on(inProgress.RUN_ID.eq(PREPARATION_RUN.ID), inProgress.SEQ.eq(DSL.field(
                        DSL.select(DSL.min(open.SEQ)).from(open).where(open.RUN_ID.eq(PREPARATION_RUN.ID), open.STATUS.ne(GroupStatus.DONE)))))
                .fetchOne();
        if (row == null) {
            throw ModprepException.notFound(
                    "this data folder holds no environment yet: import one with `modprep import DIR`, or start `modprep serve`");
        }
        var run = row.into(PREPARATION_RUN);
        boolean running = run.getId() != null && run.getStatus().equals(RunStatus.RUNNING);
        Integer group = running ? row.get(inProgress.SEQ) : null;
        GroupStatus groupStatus = running ? row.get(inProgress.STATUS) : null;
        OffsetDateTime groupStartedAt = running ? row.get(inProgress.STARTED_AT) : null;
        // A group is in progress only while it is being worked on, not while it waits for its turn.
        var latestRun = run.getId() == null ? null : RunQueries.view(run, groupStatus == GroupStatus.RUNNING ? group : null);
        return new Stamp(row.get(ENVIRONMENT.PLATFORM_VERSION), row.get(ENVIRONMENT.REVISION), row.get(builds), row.get(lastBuild),
                latestRun, group, groupStatus, groupStartedAt);
    }

    /** The board for the stamp now. */
    public Board current() {
        return current(stamp());
    }

    /**
     * The board for a stamp just read (a page reads one stamp for its banner and its board). While only a
     * run moved on, a request does not wait for another one that is bringing the board up to date: it
     * takes the board as it was a moment ago (the next request gets the new one). Under load that wait
     * was most of a page's time. A change someone made (a publish, an upgrade) is always waited for, so
     * the page after an action shows it.
     */
    public Board current(Stamp stamp) {
        var known = board;
        if (known != null && known.stamp.equals(stamp)) {
            return known;
        }
        if (known != null && onlyTheRunMoved(known.stamp, stamp)) {
            if (!lock.tryLock()) {
                return known;
            }
        } else {
            lock.lock();
        }
        try {
            known = board;
            if (known != null && known.stamp.equals(stamp)) {
                return known;
            }
            // The stamp may be older than the board another request made meanwhile: build for the stamp now
            // rather than going back (and forth again) with a whole reload each way.
            var now = stamp();
            if (known != null && known.stamp.equals(now)) {
                return known;
            }
            Board next = known == null ? null : advance(known, now);
            if (next == null) {
                next = load(now);
            }
            board = next;
            return next;
        } finally {
            lock.unlock();
        }
    }

    private static boolean onlyTheRunMoved(Stamp before, Stamp next) {
        return before.version().equals(next.version()) && before.revision() == next.revision()
                && Objects.equals(before.runId(), next.runId());
    }

    /** Something derived from the stamp alone, computed once per stamp. */
    @SuppressWarnings("unchecked")
    public <T> T memo(Stamp stamp, String key, Supplier<T> compute) {
        var known = memo;
        if (known == null || !known.stamp.equals(stamp)) {
            known = new Memo(stamp, new ConcurrentHashMap<>());
            memo = known;
        }
        var value = known.values.get(key);
        if (value == null) {
            value = compute.get();
            var raced = known.values.putIfAbsent(key, value);
            value = raced == null ? value : raced;
        }
        return (T) value;
    }

    /** Reads everything: the snapshot, the run's rows, every module's status. */
    private Board load(Stamp stamp) {
        var dsl = database.dsl();
        var snapshot = EnvironmentSnapshot.load(dsl, PlatformVersion.parseOrNull(stamp.version()));
        var run = new PreparationViewRepository().latestRun(dsl, snapshot.version(), null);
        var currentness = snapshot.currentness();
        var statuses = ModuleReports.statuses(snapshot, snapshot.modules().keySet(), run, currentness::isCurrent);
        return new Board(stamp, snapshot, statuses, run, currentness);
    }

    /**
     * The board brought from its stamp to the next one when only its running run moved on, or null when
     * something else changed (the environment, another run, the run's end) and it must be read again.
     */
    private Board advance(Board old, Stamp next) {
        var before = old.stamp;
        if (!before.version().equals(next.version()) || before.revision() != next.revision() || !before.running()
                || !next.running() || !Objects.equals(before.runId(), next.runId()) || !Objects.equals(old.run.id(), next.runId())
                || before.group() == null || before.lastBuild() == null || next.builds() < before.builds()) {
            return null;
        }
        // No group left to do (the run is about to end): the rows to read again go up to its last group.
        int to = next.group() != null ? next.group() : old.run.groupCount();
        if (to < before.group()) {
            return null;
        }
        var dsl = database.dsl();
        var snapshot = old.snapshot;
        long runId = next.runId();

        // The compilations of the groups started or ended since (the worker saves a group's with the group's
        // end). Read by group, not by time: a compilation's time is when its group compiled, which may be
        // before a publish that the board read already. A board may hold some of them already (it is read
        // after its stamp): those are the same and change nothing.
        int from = before.group();
        var saved = new HashMap<String, EnvironmentSnapshot.Build>();
        if (next.builds() != before.builds() || !Objects.equals(next.lastBuild(), before.lastBuild())) {
            var rows = dsl.select(MODULE.NAME, MODULE_BUILD.CODE_ID, MODULE_BUILD.INPUTS_SHA256, MODULE_BUILD.JAR_SHA256, MODULE_BUILD.ORIGIN)
                    .from(MODULE_BUILD).join(MODULE).on(MODULE.ID.eq(MODULE_BUILD.MODULE_ID))
                    .join(RUN_MODULE).on(RUN_MODULE.MODULE_NAME.eq(MODULE.NAME), RUN_MODULE.RUN_ID.eq(runId), RUN_MODULE.GROUP_SEQ.between(from, to))
                    .where(MODULE_BUILD.PLATFORM_VERSION.eq(next.version()))
                    .fetchMap(MODULE.NAME, Records.mapping((name, codeId, inputs, jar, origin) -> new EnvironmentSnapshot.Build(codeId, inputs,
                            jar, origin)));
            if (rows.isEmpty()) {
                return null; // compilations came or went otherwise: read everything again
            }
            rows.forEach((name, build) -> {
                if (!build.equals(old.currentness.build(name))) {
                    saved.put(name, build);
                }
            });
        }

        // The run's rows that may have moved: those of the groups started or ended since, and the modules blocked since.
        var oldEntries = old.run.entries();
        var entries = new HashMap<>(oldEntries);
        entries.values().removeIf(r -> r.group() >= from && r.group() <= to);
        var runs = new PreparationViewRepository();
        entries.putAll(runs.entries(dsl, runId, old.run.groupCount(), RUN_MODULE.GROUP_SEQ.between(from, to)));
        if (next.latestRun().counts().blocked() != before.latestRun().counts().blocked()) {
            entries.putAll(runs.entries(dsl, runId, old.run.groupCount(),
                    RUN_MODULE.STATUS.eq(ModuleStatus.BLOCKED).and(RUN_MODULE.GROUP_SEQ.gt(to))));
        }
        var run = new PreparationView.LatestRun(old.run.id(), old.run.inProgress(), old.run.groupCount(), entries);
        var changed = new HashSet<String>();
        entries.forEach((name, r) -> {
            if (!r.equals(oldEntries.get(name))) {
                changed.add(name);
            }
        });
        oldEntries.keySet().forEach(name -> {
            if (!entries.containsKey(name)) {
                changed.add(name);
            }
        });

        var currentness = saved.isEmpty() ? old.currentness : old.currentness.with(saved, changed);
        var statuses = new HashMap<>(old.statuses);
        changed.forEach(name -> {
            if (snapshot.module(name) != null) {
                statuses.put(name, ModuleReports.status(snapshot, name, run, currentness.isCurrent(name)));
            }
        });
        return new Board(next, snapshot, statuses, run, currentness);
    }
}
