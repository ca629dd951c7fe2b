package modprep.deployment;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_DEPLOYMENT;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import modprep.ModprepException;
import modprep.db.Database;
import modprep.environment.EnvironmentRepository;
import modprep.environment.EnvironmentSnapshot;
import modprep.environment.Names;
import modprep.platform.PlatformVersion;
import modprep.preparation.RunSlot;
import org.jooq.Records;

/**
 * D7: rolling back a deployment, or one module of it with its consumers: each module runs again what it
 * ran before it was deployed, consumers before producers, in one transaction (so that no module ever
 * runs a compilation built against a producer's that no longer runs). Refused while a run is in progress.
 */
public final class Rollbacks {
    private final Database database;
    private final Clock clock;

    public Rollbacks(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** One module put back: from the compilation deployed to what it ran before. */
    public record RolledBack(String module, String fromVersion, String toVersion, long deploymentId) {
    }

    /** The modules rolled back, in the order they were (consumers first), and the ones left as they are, with why. */
    public record Result(long deploymentId, List<RolledBack> rolledBack, Map<String, String> notRolledBack) {
    }

    /** A deployment of a module not yet rolled back. */
    private record Active(long rowId, long moduleId, String module, long deploymentId, String jar, String previousVersion,
                          String previousJar, String runningJar) {
    }

    public Result rollback(long deploymentId, String module, String actor) {
        return database.transaction(tx -> {
            new EnvironmentRepository(tx).lockSettings();
            new RunSlot(tx).refuseIfTaken("Rollback of deployment #" + deploymentId + " cannot start now");
            String version = tx.select(DEPLOYMENT.PLATFORM_VERSION).from(DEPLOYMENT).where(DEPLOYMENT.ID.eq(deploymentId))
                    .fetchOptional(DEPLOYMENT.PLATFORM_VERSION)
                    .orElseThrow(() -> ModprepException.notFound("no deployment #" + deploymentId));
            var active = new HashMap<String, Active>();
            tx.select(MODULE_DEPLOYMENT.ID, MODULE.ID, MODULE.NAME, MODULE_DEPLOYMENT.DEPLOYMENT_ID, MODULE_DEPLOYMENT.JAR_SHA256,
                            MODULE_DEPLOYMENT.PREVIOUS_VERSION, MODULE_DEPLOYMENT.PREVIOUS_JAR, MODULE.RUNNING_JAR)
                    .from(MODULE_DEPLOYMENT).join(MODULE).on(MODULE.ID.eq(MODULE_DEPLOYMENT.MODULE_ID))
                    .where(MODULE_DEPLOYMENT.PLATFORM_VERSION.eq(version), MODULE_DEPLOYMENT.ROLLED_BACK_AT.isNull())
                    .fetch(Records.mapping(Active::new)).forEach(a -> active.put(a.module(), a));
            var start = new LinkedHashSet<String>();
            if (module != null) {
                var a = active.get(module);
                if (a == null || a.deploymentId() != deploymentId) {
                    throw ModprepException.refused("module " + Names.abbreviate(module) + " runs nothing deployed by deployment #"
                            + deploymentId + " (it was not deployed by it, or was rolled back already): nothing to roll back");
                }
                start.add(module);
            } else {
                active.values().stream().filter(a -> a.deploymentId() == deploymentId).forEach(a -> start.add(a.module()));
                if (start.isEmpty()) {
                    throw ModprepException.refused("deployment #" + deploymentId + " has nothing left to roll back: "
                            + "it deployed no module, or each one was rolled back already");
                }
            }
            var graph = EnvironmentSnapshot.load(tx, PlatformVersion.parseOrNull(version)).publishedGraph();
            // Consumers deployed on top of them run compilations built against the deployed ones: they go back too.
            var targets = new LinkedHashSet<>(start);
            graph.transitiveConsumers(start.stream().filter(graph::contains).toList()).stream().filter(active::containsKey).forEach(targets::add);
            var order = new ArrayList<String>();
            graph.units().forEach(unit -> unit.stream().filter(targets::contains).forEach(order::add));
            targets.stream().filter(m -> !order.contains(m)).forEach(order::add);
            java.util.Collections.reverse(order);

            var now = OffsetDateTime.now(clock);
            var done = new ArrayList<RolledBack>();
            var left = new LinkedHashMap<String, String>();
            for (String m : order) {
                var a = active.get(m);
                if (!a.jar().equals(a.runningJar())) {
                    left.put(m, "published since it was deployed: it runs its published compilation, which a rollback does not touch");
                    continue;
                }
                tx.update(MODULE).set(MODULE.RUNNING_VERSION, a.previousVersion()).set(MODULE.RUNNING_JAR, a.previousJar())
                        .where(MODULE.ID.eq(a.moduleId())).execute();
                tx.update(MODULE_DEPLOYMENT).set(MODULE_DEPLOYMENT.ROLLED_BACK_AT, now).set(MODULE_DEPLOYMENT.ROLLED_BACK_BY, actor)
                        .where(MODULE_DEPLOYMENT.ID.eq(a.rowId())).execute();
                done.add(new RolledBack(m, version, a.previousVersion(), a.deploymentId()));
            }
            if (!done.isEmpty()) {
                new EnvironmentRepository(tx).bumpRevision();
            }
            return new Result(deploymentId, done, left);
        });
    }
}
