package modprep.preparation;

import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.PLATFORM_UPGRADE;
import static modprep.db.schema.Tables.PREPARATION_RUN;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.environment.EnvironmentRepository;
import modprep.environment.EnvironmentSnapshot;
import modprep.platform.PlatformCatalog;
import modprep.platform.PlatformVersion;
import modprep.status.PreparationMode;
import modprep.status.RunStatus;
import modprep.status.RunTrigger;
import org.jooq.Records;
import org.jooq.DSLContext;

/**
 * Starts preparation runs: an upgrade to a newer platform version (P1, P4, P5) and Prepare, the retry
 * that re-runs only what is not prepared (P11). The environment row is locked while a run is created,
 * so concurrent requests start at most one run.
 */
public final class Preparations {
    private final Database database;
    private final PlatformCatalog catalog;
    private final Planner planner = new Planner();
    private final Clock clock;

    public Preparations(Database database, PlatformCatalog catalog, Clock clock) {
        this.database = database;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** What an upgrade or a Prepare did. */
    public record Started(String from, String to, Long runId, PreparationMode mode, int modules, int groups, int excluded,
                          boolean publishAllRecommended, boolean publishRequired) {
    }

    public Started upgrade(String toVersion, String actor) {
        var target = catalog.require(toVersion == null ? "" : toVersion.strip());
        return database.transaction(tx -> {
            var settings = new EnvironmentRepository(tx).lockSettings();
            var from = settings.version();
            if (target.equals(from)) {
                throw ModprepException.refused("the environment already runs platform " + from + ": nothing to upgrade");
            }
            if (target.isBefore(from)) {
                throw ModprepException.refused("upgrading from " + from + " to " + target + " is a downgrade, which is "
                        + "refused: choose a version newer than " + from);
            }
            refuseIfRunning(tx);
            var now = OffsetDateTime.now(clock);
            tx.update(ENVIRONMENT).set(ENVIRONMENT.PLATFORM_VERSION, target.toString()).set(ENVIRONMENT.UPGRADED_AT, now).execute();
            // P5: from 11.10.0 or earlier to 11.12.0 or later, publishing everything is recommended instead.
            boolean publishAll = !from.isAfter(PlatformVersion.LAST_BEFORE_NEW_CONFIGURATIONS)
                    && target.isAtLeast(PlatformVersion.FIRST_WITH_PREPARATION);
            var mode = target.preparationMode(settings.progressiveEnabled());
            Started started;
            if (mode.isEmpty()) {
                // P4: below 11.12.0 there is no preparation; every module must be published again.
                int marked = tx.update(MODULE).set(MODULE.PUBLISH_REQUIRED, true).where(MODULE.PUBLISHED_CODE_ID.isNotNull()).execute();
                started = new Started(from.toString(), target.toString(), null, null, marked, 0, 0, publishAll, true);
            } else {
                started = createRun(tx, from, target, mode.get(), RunTrigger.UPGRADE, publishAll, settings.groupSize(), actor, now);
            }
            tx.insertInto(PLATFORM_UPGRADE).set(PLATFORM_UPGRADE.FROM_VERSION, from.toString())
                    .set(PLATFORM_UPGRADE.TO_VERSION, target.toString()).set(PLATFORM_UPGRADE.UPGRADED_AT, now)
                    .set(PLATFORM_UPGRADE.UPGRADED_BY, actor).set(PLATFORM_UPGRADE.RUN_ID, started.runId()).execute();
            new EnvironmentRepository(tx).bumpRevision();
            return started;
        });
    }

    /** P11: a new run over what is not prepared yet; refused while a run is in progress. */
    public Started prepare(String actor) {
        return database.transaction(tx -> {
            var settings = new EnvironmentRepository(tx).lockSettings();
            var version = settings.version();
            var mode = version.preparationMode(settings.progressiveEnabled()).orElseThrow(() ->
                    ModprepException.refused("platform " + version + " has no modules preparation (it starts with "
                            + PlatformVersion.FIRST_WITH_PREPARATION + "): publish the modules instead"));
            refuseIfRunning(tx);
            String from = tx.select(PLATFORM_UPGRADE.FROM_VERSION).from(PLATFORM_UPGRADE)
                    .where(PLATFORM_UPGRADE.TO_VERSION.eq(version.toString()))
                    .orderBy(PLATFORM_UPGRADE.ID.desc()).limit(1).fetchOne(PLATFORM_UPGRADE.FROM_VERSION);
            var fromVersion = from == null ? version : PlatformVersion.parseOrNull(from);
            return createRun(tx, fromVersion, version, mode, RunTrigger.PREPARE, false, settings.groupSize(), actor, OffsetDateTime.now(clock));
        });
    }

    /** What prioritising did (I4): the modules moved to the front, the groups they are in now, the run's groups. */
    public record Prioritised(long runId, String target, List<String> modules, int firstGroup, int lastGroup, int groupCount) {
    }

    /**
     * I4: moves a module (or, with {@code application}, an application's modules) and its unprepared
     * producers to the front of the run in progress; refused, changing nothing, when nothing of it can move.
     */
    public Prioritised prioritise(String module, String application, String actor) {
        if ((module == null) == (application == null)) {
            throw ModprepException.badInput("prioritise either a module or an application, not " + (module == null ? "neither" : "both"));
        }
        var moved = database.transaction(tx -> new Prioritiser(tx).prioritise(module, application,
                new EnvironmentRepository(tx).settings().groupSize(), actor, OffsetDateTime.now(clock)));
        return new Prioritised(moved.runId(), moved.target(), moved.modules(), moved.firstGroup(), moved.lastGroup(), moved.groupCount());
    }

    private Started createRun(DSLContext tx, PlatformVersion from, PlatformVersion to, PreparationMode mode, RunTrigger trigger,
                              boolean publishAll, int groupSize, String actor, OffsetDateTime now) {
        var plan = planner.plan(EnvironmentSnapshot.load(tx, to), groupSize);
        if (trigger == RunTrigger.PREPARE && plan.groups().isEmpty()) {
            return new Started(from.toString(), to.toString(), null, mode, 0, 0, plan.excluded().size(), false, false);
        }
        long runId = new RunCreator(tx).create(from, to, mode, trigger, publishAll, plan, actor, now);
        return new Started(from.toString(), to.toString(), runId, mode, plan.moduleCount(), plan.groups().size(),
                plan.excluded().size(), publishAll, false);
    }

    private static void refuseIfRunning(DSLContext tx) {
        tx.select(PREPARATION_RUN.ID, PREPARATION_RUN.STARTED_BY).from(PREPARATION_RUN)
                .where(PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING)).limit(1)
                .fetchOptional(Records.mapping((id, startedBy) -> ModprepException.refused("preparation run #" + id + " (started by "
                        + startedBy + ") is in progress: wait for it to end, or follow it on its details page (/preparations/" + id + ")")))
                .ifPresent(refusal -> {
                    throw refusal;
                });
        // D2: nor while a deployment is in progress.
        new RunSlot(tx).refuseIfTaken("a preparation cannot start now");
    }
}
