package modprep.deployment;

import static modprep.db.schema.Tables.DEPLOYMENT;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.environment.EnvironmentRepository;
import modprep.environment.EnvironmentSnapshot;
import modprep.environment.PreparationView;
import modprep.platform.PlatformVersion;
import modprep.preparation.RunSlot;
import org.jooq.DSLContext;

/**
 * Starts deployments (D1-D3, D6) and previews them: what Deploy would deploy now, in which groups, and
 * every module it would skip with why. The environment row is locked while a deployment is created, and
 * the one run-in-progress slot refuses it beside a preparation (D2).
 */
public final class Deployments {
    private final Database database;
    private final Clock clock;
    private final PreparationView preparation;
    private final DeploymentPlanner planner = new DeploymentPlanner();

    public Deployments(Database database, Clock clock, PreparationView preparation) {
        this.database = database;
        this.clock = clock;
        this.preparation = preparation;
    }

    /** What Deploy deploys now, or deployed: the module names by group, the skipped modules with why. */
    public record Preview(String version, List<List<String>> groups, Map<String, String> skipped, int alreadyRunning,
                          String inProgress) {
        public int modules() {
            return groups.stream().mapToInt(List::size).sum();
        }
    }

    /** What Deploy did: the deployment's number (null: nothing to deploy) and its plan. */
    public record Started(Long deploymentId, Preview plan) {
    }

    /** D3: the preview shown before Deploy; it changes nothing. {@code inProgress} says which run would refuse Deploy now. */
    public Preview preview() {
        return database.transaction(tx -> {
            var settings = new EnvironmentRepository(tx).settings();
            requirePreparation(settings.version());
            var holder = new RunSlot(tx).holder();
            return preview(plan(tx, settings.version(), settings.groupSize()),
                    holder == null ? null : holder.refusal("Deploy cannot start now").getMessage());
        });
    }

    /** Deploy: a deployment of every deployable module, worked on by the background worker (D1). */
    public Started deploy(String actor) {
        return database.transaction(tx -> {
            var settings = new EnvironmentRepository(tx).lockSettings();
            requirePreparation(settings.version());
            new RunSlot(tx).refuseIfTaken("Deploy cannot start now");
            var plan = plan(tx, settings.version(), settings.groupSize());
            if (plan.groups().isEmpty()) {
                return new Started(null, preview(plan, null));
            }
            Long preparationRun = preparation.latestRun(tx, settings.version(), List.of()).id();
            long id = new DeploymentRepository(tx).create(plan, preparationRun, actor, OffsetDateTime.now(clock));
            return new Started(id, preview(plan, null));
        });
    }

    /** The deployment in progress, if any. */
    public Long inProgress() {
        var holder = new RunSlot(database.dsl()).holder();
        return holder == null || holder.kind() != modprep.status.RunKind.DEPLOYMENT ? null : holder.runId();
    }

    /** Whether the deployment exists: a clear "not found" otherwise. */
    public void require(long id) {
        if (!database.dsl().fetchExists(DEPLOYMENT, DEPLOYMENT.ID.eq(id))) {
            throw ModprepException.notFound("no deployment #" + id);
        }
    }

    private DeploymentPlanner.Plan plan(DSLContext tx, PlatformVersion version, int groupSize) {
        return planner.plan(tx, EnvironmentSnapshot.load(tx, version), preparation, groupSize);
    }

    private static Preview preview(DeploymentPlanner.Plan plan, String inProgress) {
        return new Preview(plan.version(), plan.groups().stream().map(g -> g.stream().map(DeploymentPlanner.Item::name).toList()).toList(),
                plan.skipped(), plan.alreadyRunning(), inProgress);
    }

    /** D1: Deploy is offered on every version that has a preparation (the vendor's starts with 11.19.0). */
    private static void requirePreparation(PlatformVersion version) {
        if (!version.isAtLeast(PlatformVersion.FIRST_WITH_PREPARATION)) {
            throw ModprepException.refused("platform " + version + " has no modules preparation (it starts with "
                    + PlatformVersion.FIRST_WITH_PREPARATION + "), so nothing is prepared to deploy: publish the modules instead");
        }
    }
}
