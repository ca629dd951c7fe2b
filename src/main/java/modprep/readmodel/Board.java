package modprep.readmodel;

import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.RUN_MODULE;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import modprep.environment.Currentness;
import modprep.environment.EnvironmentSnapshot;
import modprep.environment.PreparationView;
import modprep.platform.PlatformVersion;
import modprep.preparation.PreparationViewRepository;
import modprep.status.ModuleStatus;
import modprep.status.VersionStatus;
import org.jooq.Records;
import org.jooq.DSLContext;

/**
 * The environment and every module's status for its current version, for one stamp. The snapshot
 * gives the modules, their applications and the graph; statuses come from {@link #statuses()} only
 * (during a run they are newer than the snapshot's compilations). Pages keep what they derive from a
 * board in {@link #memo}.
 */
public final class Board {
    private final Stamp stamp;
    private final PlatformVersion version;
    private final EnvironmentSnapshot snapshot;
    private final Map<String, VersionStatus> statuses;
    private final PreparationView.LatestRun run;
    private final Currentness currentness;
    private final Memos memos = new Memos();

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
    public <T> T memo(String key, Supplier<T> compute) {
        return memos.get(key, compute);
    }

    /** Reads everything: the snapshot, the run's rows, every module's status. */
    static Board load(DSLContext dsl, Stamp stamp) {
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
    Board advance(DSLContext dsl, Stamp next) {
        var old = this;
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
        var snapshot = old.snapshot;
        long runId = next.runId();

        // The compilations of the groups started or ended since (the worker saves a group's with the group's
        // end). Read by group, not by time: a compilation's time is when its group compiled, which may be
        // before a publish that the board read already. A board may hold some of them already (it is read
        // after its stamp): those are the same and change nothing.
        int from = before.group();
        var saved = new HashMap<String, EnvironmentSnapshot.Build>();
        // Read whenever the run moved: a group's compilations may replace others (a Prepare on the current version)
        // and carry the time its group compiled, earlier than a publish saved meanwhile, so that neither the
        // count nor the latest time of compilations moves (ReadModelPropertyTest, seed 9021).
        var rows = dsl.select(MODULE.NAME, MODULE_BUILD.CODE_ID, MODULE_BUILD.INPUTS_SHA256, MODULE_BUILD.JAR_SHA256, MODULE_BUILD.ORIGIN)
                .from(MODULE_BUILD).join(MODULE).on(MODULE.ID.eq(MODULE_BUILD.MODULE_ID))
                .join(RUN_MODULE).on(RUN_MODULE.MODULE_NAME.eq(MODULE.NAME), RUN_MODULE.RUN_ID.eq(runId), RUN_MODULE.GROUP_SEQ.between(from, to))
                .where(MODULE_BUILD.PLATFORM_VERSION.eq(next.version()))
                .fetchMap(MODULE.NAME, Records.mapping((name, codeId, inputs, jar, origin) -> new EnvironmentSnapshot.Build(codeId, inputs,
                        jar, origin)));
        boolean buildsMoved = next.builds() != before.builds() || !Objects.equals(next.lastBuild(), before.lastBuild());
        if (rows.isEmpty() && buildsMoved) {
            return null; // compilations came or went otherwise: read everything again
        }
        rows.forEach((name, build) -> {
            if (!build.equals(old.currentness.build(name))) {
                saved.put(name, build);
            }
        });

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
