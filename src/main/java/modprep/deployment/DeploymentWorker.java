package modprep.deployment;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.DEPLOYMENT_MODULE;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_DEPLOYMENT;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import modprep.db.Database;
import modprep.environment.EnvironmentRepository;
import modprep.environment.EnvironmentSnapshot;
import modprep.platform.PlatformVersion;
import modprep.preparation.Leases;
import modprep.preparation.OtherRuns;
import modprep.preparation.RunTable;
import modprep.status.DeployStatus;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works on a deployment for the process's worker (D1), a group at a time through its timed steps (D8):
 * lock its modules (D4), check each one (D5), deploy the ones that pass in one transaction with the
 * blocking of their failures' consumers, the unlock and the group's end. A group cut short by a kill is
 * redone from its start by whoever claims the deployment next: nothing of it was saved (D9).
 */
public final class DeploymentWorker implements OtherRuns {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentWorker.class);

    private final Database database;
    private final Clock clock;

    public DeploymentWorker(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public RunTable table() {
        return RunTable.DEPLOYMENTS;
    }

    @Override
    public void work(long id, Leases leases, BooleanSupplier stopping) {
        var version = PlatformVersion.parseOrNull(database.dsl().select(DEPLOYMENT.PLATFORM_VERSION).from(DEPLOYMENT)
                .where(DEPLOYMENT.ID.eq(id)).fetchOne(DEPLOYMENT.PLATFORM_VERSION));
        LOG.info("working on deployment #{} ({})", id, version);
        try {
            while (!stopping.getAsBoolean()) {
                Integer seq = new DeploymentRepository(database.dsl()).nextGroup(id);
                if (seq == null) {
                    finish(id, leases, null);
                    return;
                }
                if (!deployGroup(id, seq, version, leases, stopping)) {
                    break;
                }
            }
            leases.release(RunTable.DEPLOYMENTS, id);
        } catch (Leases.LeaseLost | DataAccessException e) {
            throw e;
        } catch (RuntimeException e) {
            modprep.db.OutOfMemory.endIfIn(e); // the process's heap, not the deployment: never marked failed for it
            LOG.error("deployment #{} stopped on an internal error", id, e);
            finish(id, leases, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private boolean deployGroup(long id, int seq, PlatformVersion version, Leases leases, BooleanSupplier stopping) {
        var modules = database.transaction(tx -> {
            leases.renew(tx, RunTable.DEPLOYMENTS, id);
            var repository = new DeploymentRepository(tx);
            var now = OffsetDateTime.now(clock);
            var inGroup = repository.groupModules(id, seq).stream().filter(m -> m.status().inProgress()).toList();
            repository.startGroup(id, seq, inGroup.stream().map(DeploymentRepository.GroupModule::moduleId)
                    .filter(java.util.Objects::nonNull).toList(), now);
            repository.stepToStep(id, seq, DeploymentStep.LOCK_MODULES, DeploymentStep.CHECK, now);
            return inGroup;
        });
        if (stopping.getAsBoolean()) {
            return false;
        }
        var snapshot = EnvironmentSnapshot.load(database.dsl(), version);
        var checks = new DeployChecks(database.dsl(), snapshot);
        var verdicts = new LinkedHashMap<String, DeployChecks.Verdict>();
        modules.forEach(m -> verdicts.put(m.name(), checks.check(m)));
        // A reference cycle deploys whole: one member failing fails the others with it.
        var graph = snapshot.publishedGraph();
        var failedNow = verdicts.entrySet().stream().filter(e -> !e.getValue().deploy() && !e.getValue().skip()).map(Map.Entry::getKey).toList();
        for (String failed : failedNow) {
            if (graph.contains(failed)) {
                graph.unitOf(failed).stream().filter(m -> verdicts.containsKey(m) && verdicts.get(m).deploy()).forEach(m ->
                        verdicts.put(m, DeployChecks.Verdict.fail("it is on a reference cycle with " + failed + ", which failed its check")));
            }
        }
        step(id, seq, leases, DeploymentStep.CHECK, DeploymentStep.DEPLOY);
        if (stopping.getAsBoolean()) {
            return false;
        }
        database.transaction(tx -> {
            leases.renew(tx, RunTable.DEPLOYMENTS, id);
            var now = OffsetDateTime.now(clock);
            var outcomes = new ArrayList<DeploymentRepository.Outcome>();
            var failed = new ArrayList<String>();
            for (var module : modules) {
                var verdict = verdicts.get(module.name());
                if (verdict.deploy()) {
                    deploy(tx, id, module, version, now);
                    outcomes.add(new DeploymentRepository.Outcome(module.name(), DeployStatus.DEPLOYED, null));
                } else if (verdict.skip()) {
                    outcomes.add(new DeploymentRepository.Outcome(module.name(), DeployStatus.SKIPPED, verdict.reason()));
                } else {
                    outcomes.add(new DeploymentRepository.Outcome(module.name(), DeployStatus.FAILED, verdict.reason()));
                    failed.add(module.name());
                }
            }
            var repository = new DeploymentRepository(tx);
            repository.stepToStep(id, seq, DeploymentStep.DEPLOY, DeploymentStep.UNLOCK, now);
            repository.finishGroup(id, seq, outcomes, blockedConsumers(tx, id, graph, failed), now);
            if (outcomes.stream().anyMatch(o -> o.status() == DeployStatus.DEPLOYED)) {
                new EnvironmentRepository(tx).bumpRevision();
            }
            return null;
        });
        return true;
    }

    /** The module runs the compilation planned; what it ran before is kept for a rollback (D7). */
    private void deploy(DSLContext tx, long id, DeploymentRepository.GroupModule module, PlatformVersion version, OffsetDateTime now) {
        var before = tx.select(MODULE.RUNNING_VERSION, MODULE.RUNNING_JAR).from(MODULE).where(MODULE.ID.eq(module.moduleId()))
                .forUpdate().fetchOne();
        tx.update(MODULE).set(MODULE.RUNNING_VERSION, version.toString()).set(MODULE.RUNNING_JAR, module.jar())
                .where(MODULE.ID.eq(module.moduleId())).execute();
        String by = tx.select(DEPLOYMENT.STARTED_BY).from(DEPLOYMENT).where(DEPLOYMENT.ID.eq(id)).fetchOne(DEPLOYMENT.STARTED_BY);
        tx.insertInto(MODULE_DEPLOYMENT).set(MODULE_DEPLOYMENT.MODULE_ID, module.moduleId()).set(MODULE_DEPLOYMENT.DEPLOYMENT_ID, id)
                .set(MODULE_DEPLOYMENT.PLATFORM_VERSION, version.toString()).set(MODULE_DEPLOYMENT.INPUTS_SHA256, module.inputs())
                .set(MODULE_DEPLOYMENT.JAR_SHA256, module.jar())
                .set(MODULE_DEPLOYMENT.PREVIOUS_VERSION, before == null ? null : before.value1())
                .set(MODULE_DEPLOYMENT.PREVIOUS_JAR, before == null ? null : before.value2())
                .set(MODULE_DEPLOYMENT.DEPLOYED_AT, now).set(MODULE_DEPLOYMENT.DEPLOYED_BY, by).execute();
    }

    /** D5: the modules still waiting in the deployment that use a failed one, each with the failures it waits on. */
    private static Map<String, String> blockedConsumers(DSLContext tx, long id, modprep.environment.ModuleGraph graph, List<String> failed) {
        var blocked = new LinkedHashMap<String, String>();
        if (failed.isEmpty()) {
            return blocked;
        }
        var pending = new HashSet<>(tx.select(DEPLOYMENT_MODULE.MODULE_NAME).from(DEPLOYMENT_MODULE)
                .where(DEPLOYMENT_MODULE.DEPLOYMENT_ID.eq(id), DEPLOYMENT_MODULE.STATUS.eq(DeployStatus.PENDING)).fetch(DEPLOYMENT_MODULE.MODULE_NAME));
        for (String f : failed) {
            if (!graph.contains(f)) {
                continue;
            }
            for (String consumer : graph.transitiveConsumers(List.of(f))) {
                if (pending.contains(consumer)) {
                    blocked.merge(consumer, f, (a, b) -> a + ", " + b);
                }
            }
        }
        blocked.replaceAll((m, by) -> "Blocked: it uses " + by + ", whose deployment failed; it keeps running what it ran.");
        return blocked;
    }

    private void step(long id, int seq, Leases leases, DeploymentStep finished, DeploymentStep next) {
        database.transaction(tx -> {
            leases.renew(tx, RunTable.DEPLOYMENTS, id);
            new DeploymentRepository(tx).stepToStep(id, seq, finished, next, OffsetDateTime.now(clock));
            return null;
        });
    }

    private void finish(long id, Leases leases, String internalError) {
        var status = database.transaction(tx -> {
            leases.renew(tx, RunTable.DEPLOYMENTS, id);
            return new DeploymentRepository(tx).finish(id, internalError, OffsetDateTime.now(clock));
        });
        LOG.info("deployment #{} {}", id, status.code());
    }
}
