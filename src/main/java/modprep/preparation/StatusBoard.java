package modprep.preparation;

import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;

import java.util.Map;
import modprep.db.Database;
import modprep.environment.EnvironmentRepository;
import modprep.environment.EnvironmentSnapshot;
import modprep.platform.PlatformVersion;
import org.jooq.impl.DSL;

/**
 * Every module's status for the current version, as the console shows it, computed once and reused
 * until something it depends on changes: one cheap query (the stamp) tells whether anything did.
 * Pages over thousands of modules then filter and page in memory instead of querying per row.
 */
public final class StatusBoard {
    private final Database database;
    private Board board;

    public StatusBoard(Database database) {
        this.database = database;
    }

    /** What the statuses were computed from: the environment's revision, its builds and the latest run's progress. */
    public record Stamp(String version, long revision, int builds, Object lastBuild, Long lastRun, String lastRunStatus,
                        Object lastGroupStart, Object lastGroupEnd) {
    }

    /** The environment and every module's status for its current version. */
    public record Board(Stamp stamp, PlatformVersion version, EnvironmentSnapshot snapshot,
                        Map<String, ModuleReport.Status> statuses) {
    }

    public Board current() {
        var stamp = stamp();
        synchronized (this) {
            if (board == null || !board.stamp().equals(stamp)) {
                var dsl = database.dsl();
                var version = PlatformVersion.parseOrNull(stamp.version());
                var snapshot = EnvironmentSnapshot.load(dsl, version);
                var statuses = new ModuleReports(dsl).statuses(snapshot, version, snapshot.modules().keySet());
                board = new Board(stamp, version, snapshot, statuses);
            }
            return board;
        }
    }

    private Stamp stamp() {
        var dsl = database.dsl();
        var settings = new EnvironmentRepository(dsl).settings();
        String version = settings.version().toString();
        var builds = dsl.select(DSL.count(), DSL.max(MODULE_BUILD.BUILT_AT)).from(MODULE_BUILD)
                .where(MODULE_BUILD.PLATFORM_VERSION.eq(version)).fetchOne();
        var run = dsl.select(PREPARATION_RUN.ID, PREPARATION_RUN.STATUS).from(PREPARATION_RUN)
                .orderBy(PREPARATION_RUN.ID.desc()).limit(1).fetchOne();
        Object groupStart = null;
        Object groupEnd = null;
        if (run != null) {
            var groups = dsl.select(DSL.max(RUN_GROUP.STARTED_AT), DSL.max(RUN_GROUP.FINISHED_AT)).from(RUN_GROUP)
                    .where(RUN_GROUP.RUN_ID.eq(run.value1())).fetchOne();
            groupStart = groups.value1();
            groupEnd = groups.value2();
        }
        return new Stamp(version, settings.revision(), builds.value1(), builds.value2(), run == null ? null : run.value1(),
                run == null ? null : run.value2(), groupStart, groupEnd);
    }
}
