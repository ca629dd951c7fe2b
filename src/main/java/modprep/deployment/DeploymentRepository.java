package modprep.deployment;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.DEPLOYMENT_GROUP;
import static modprep.db.schema.Tables.DEPLOYMENT_LOCK;
import static modprep.db.schema.Tables.DEPLOYMENT_MODULE;
import static modprep.db.schema.Tables.DEPLOYMENT_STEP;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import modprep.preparation.RunSlot;
import modprep.preparation.RunTable;
import modprep.status.DeployStatus;
import modprep.status.GroupStatus;
import modprep.status.RunKind;
import modprep.status.RunStatus;
import org.jooq.DSLContext;
import org.jooq.Records;
import org.jooq.impl.DSL;

/** The deployments' tables: what a deployment plans, and every move of its groups, steps, modules and locks. */
public record DeploymentRepository(DSLContext dsl) {

    /** A module of a group as the worker sees it. */
    public record GroupModule(String name, Long moduleId, DeployStatus status, String inputs, String jar, int codeSeq,
                              String producerCodes) {
    }

    /** Stores a planned deployment and takes the one run-in-progress slot (D2); returns its number. */
    public long create(DeploymentPlanner.Plan plan, Long preparationRunId, String actor, OffsetDateTime now) {
        long id = dsl.insertInto(DEPLOYMENT)
                .set(DEPLOYMENT.PLATFORM_VERSION, plan.version())
                .set(DEPLOYMENT.PREPARATION_RUN_ID, preparationRunId)
                .set(DEPLOYMENT.STATUS, RunStatus.RUNNING)
                .set(DEPLOYMENT.STARTED_BY, actor)
                .set(DEPLOYMENT.STARTED_AT, now)
                .set(DEPLOYMENT.GROUP_COUNT, plan.groups().size())
                .set(DEPLOYMENT.TOTAL_COUNT, plan.moduleCount())
                .set(DEPLOYMENT.SKIPPED_COUNT, plan.skipped().size())
                .returning(DEPLOYMENT.ID).fetchOne().getId();
        new RunSlot(dsl).take(RunKind.DEPLOYMENT, id);
        var groups = dsl.batch(dsl.insertInto(DEPLOYMENT_GROUP, DEPLOYMENT_GROUP.DEPLOYMENT_ID, DEPLOYMENT_GROUP.SEQ, DEPLOYMENT_GROUP.STATUS)
                .values((Long) null, null, null));
        var steps = dsl.batch(dsl.insertInto(DEPLOYMENT_STEP, DEPLOYMENT_STEP.DEPLOYMENT_ID, DEPLOYMENT_STEP.GROUP_SEQ,
                DEPLOYMENT_STEP.ORDINAL, DEPLOYMENT_STEP.NAME).values((Long) null, null, null, null));
        var modules = dsl.batch(dsl.insertInto(DEPLOYMENT_MODULE, DEPLOYMENT_MODULE.DEPLOYMENT_ID, DEPLOYMENT_MODULE.MODULE_NAME,
                DEPLOYMENT_MODULE.MODULE_ID, DEPLOYMENT_MODULE.GROUP_SEQ, DEPLOYMENT_MODULE.POSITION, DEPLOYMENT_MODULE.STATUS,
                DEPLOYMENT_MODULE.INPUTS_SHA256, DEPLOYMENT_MODULE.JAR_SHA256, DEPLOYMENT_MODULE.CODE_SEQ,
                DEPLOYMENT_MODULE.PRODUCER_CODES, DEPLOYMENT_MODULE.REASON)
                .values((Long) null, null, null, null, null, null, null, null, null, null, null));
        for (int g = 0; g < plan.groups().size(); g++) {
            int seq = g + 1;
            groups.bind(id, seq, GroupStatus.PENDING);
            for (var step : DeploymentStep.ORDER) {
                steps.bind(id, seq, step.ordinal1(), step.label());
            }
            var items = plan.groups().get(g);
            for (int p = 0; p < items.size(); p++) {
                var i = items.get(p);
                modules.bind(id, i.name(), i.moduleId(), seq, p + 1, DeployStatus.PENDING, i.inputs(), i.jar(), i.codeSeq(),
                        i.producerCodes(), null);
            }
        }
        int position = 0;
        for (var skip : plan.skipped().entrySet()) {
            modules.bind(id, skip.getKey(), null, 0, ++position, DeployStatus.SKIPPED, null, null, null, null, skip.getValue());
        }
        if (!plan.groups().isEmpty()) {
            groups.execute();
            steps.execute();
        }
        if (plan.moduleCount() + plan.skipped().size() > 0) {
            modules.execute();
        }
        return id;
    }

    public Integer nextGroup(long id) {
        return dsl.select(DSL.min(DEPLOYMENT_GROUP.SEQ)).from(DEPLOYMENT_GROUP)
                .where(DEPLOYMENT_GROUP.DEPLOYMENT_ID.eq(id), DEPLOYMENT_GROUP.STATUS.ne(GroupStatus.DONE)).fetchOne(0, Integer.class);
    }

    public List<GroupModule> groupModules(long id, int seq) {
        return dsl.select(DEPLOYMENT_MODULE.MODULE_NAME, DEPLOYMENT_MODULE.MODULE_ID, DEPLOYMENT_MODULE.STATUS,
                        DEPLOYMENT_MODULE.INPUTS_SHA256, DEPLOYMENT_MODULE.JAR_SHA256, DEPLOYMENT_MODULE.CODE_SEQ, DEPLOYMENT_MODULE.PRODUCER_CODES)
                .from(DEPLOYMENT_MODULE).where(DEPLOYMENT_MODULE.DEPLOYMENT_ID.eq(id), DEPLOYMENT_MODULE.GROUP_SEQ.eq(seq))
                .orderBy(DEPLOYMENT_MODULE.POSITION).fetch(Records.mapping(GroupModule::new));
    }

    /** Step 1: the group in progress, its modules deploying and locked (D4); a redone group starts its steps over. */
    public void startGroup(long id, int seq, Collection<Long> moduleIds, OffsetDateTime now) {
        dsl.update(DEPLOYMENT_GROUP).set(DEPLOYMENT_GROUP.STATUS, GroupStatus.RUNNING).set(DEPLOYMENT_GROUP.STARTED_AT, now)
                .set(DEPLOYMENT_GROUP.FINISHED_AT, (OffsetDateTime) null)
                .where(DEPLOYMENT_GROUP.DEPLOYMENT_ID.eq(id), DEPLOYMENT_GROUP.SEQ.eq(seq)).execute();
        dsl.update(DEPLOYMENT_STEP)
                .set(DEPLOYMENT_STEP.STARTED_AT, DSL.when(DEPLOYMENT_STEP.ORDINAL.eq(DeploymentStep.LOCK_MODULES.ordinal1()), now)
                        .else_(DSL.inline((OffsetDateTime) null)))
                .set(DEPLOYMENT_STEP.FINISHED_AT, (OffsetDateTime) null)
                .where(DEPLOYMENT_STEP.DEPLOYMENT_ID.eq(id), DEPLOYMENT_STEP.GROUP_SEQ.eq(seq)).execute();
        dsl.update(DEPLOYMENT_MODULE).set(DEPLOYMENT_MODULE.STATUS, DeployStatus.DEPLOYING).set(DEPLOYMENT_MODULE.STARTED_AT, now)
                .where(DEPLOYMENT_MODULE.DEPLOYMENT_ID.eq(id), DEPLOYMENT_MODULE.GROUP_SEQ.eq(seq),
                        DEPLOYMENT_MODULE.STATUS.eq(DeployStatus.PENDING)).execute();
        dsl.deleteFrom(DEPLOYMENT_LOCK).where(DEPLOYMENT_LOCK.DEPLOYMENT_ID.eq(id), DEPLOYMENT_LOCK.MODULE_ID.in(moduleIds)).execute();
        if (!moduleIds.isEmpty()) {
            var insert = dsl.batch(dsl.insertInto(DEPLOYMENT_LOCK, DEPLOYMENT_LOCK.MODULE_ID, DEPLOYMENT_LOCK.DEPLOYMENT_ID,
                    DEPLOYMENT_LOCK.GROUP_SEQ, DEPLOYMENT_LOCK.LOCKED_AT).values((Long) null, null, null, null));
            moduleIds.forEach(m -> insert.bind(m, id, seq, now));
            insert.execute();
        }
    }

    /** Ends one step of a group and starts the next, in one statement. */
    public void stepToStep(long id, int seq, DeploymentStep finished, DeploymentStep next, OffsetDateTime now) {
        dsl.update(DEPLOYMENT_STEP)
                .set(DEPLOYMENT_STEP.FINISHED_AT, DSL.when(DEPLOYMENT_STEP.ORDINAL.eq(finished.ordinal1()), now).else_(DEPLOYMENT_STEP.FINISHED_AT))
                .set(DEPLOYMENT_STEP.STARTED_AT, DSL.when(DEPLOYMENT_STEP.ORDINAL.eq(next.ordinal1()), now).else_(DEPLOYMENT_STEP.STARTED_AT))
                .where(DEPLOYMENT_STEP.DEPLOYMENT_ID.eq(id), DEPLOYMENT_STEP.GROUP_SEQ.eq(seq),
                        DEPLOYMENT_STEP.ORDINAL.in(finished.ordinal1(), next.ordinal1()))
                .execute();
    }

    /** How one module of the group ended. */
    public record Outcome(String module, DeployStatus status, String reason) {
    }

    /** Records the group's outcomes, blocks the waiting consumers of its failures, unlocks it and marks it done (D5). */
    public void finishGroup(long id, int seq, List<Outcome> outcomes, java.util.Map<String, String> blockedConsumers, OffsetDateTime now) {
        for (var o : outcomes) {
            if (!DeployStatus.DEPLOYING.canMoveTo(o.status())) {
                throw new IllegalStateException("a module being deployed cannot end " + o.status());
            }
            dsl.update(DEPLOYMENT_MODULE).set(DEPLOYMENT_MODULE.STATUS, o.status()).set(DEPLOYMENT_MODULE.REASON, o.reason())
                    .set(DEPLOYMENT_MODULE.FINISHED_AT, now)
                    .where(DEPLOYMENT_MODULE.DEPLOYMENT_ID.eq(id), DEPLOYMENT_MODULE.MODULE_NAME.eq(o.module())).execute();
        }
        blockedConsumers.forEach((module, reason) -> dsl.update(DEPLOYMENT_MODULE).set(DEPLOYMENT_MODULE.STATUS, DeployStatus.BLOCKED)
                .set(DEPLOYMENT_MODULE.REASON, reason).set(DEPLOYMENT_MODULE.FINISHED_AT, now)
                .where(DEPLOYMENT_MODULE.DEPLOYMENT_ID.eq(id), DEPLOYMENT_MODULE.MODULE_NAME.eq(module),
                        DEPLOYMENT_MODULE.STATUS.eq(DeployStatus.PENDING)).execute());
        dsl.update(DEPLOYMENT_STEP).set(DEPLOYMENT_STEP.FINISHED_AT, DSL.coalesce(DEPLOYMENT_STEP.FINISHED_AT, DSL.val(now)))
                .set(DEPLOYMENT_STEP.STARTED_AT, DSL.coalesce(DEPLOYMENT_STEP.STARTED_AT, DSL.val(now)))
                .where(DEPLOYMENT_STEP.DEPLOYMENT_ID.eq(id), DEPLOYMENT_STEP.GROUP_SEQ.eq(seq)).execute();
        dsl.deleteFrom(DEPLOYMENT_LOCK).where(DEPLOYMENT_LOCK.DEPLOYMENT_ID.eq(id), DEPLOYMENT_LOCK.GROUP_SEQ.eq(seq)).execute();
        dsl.update(DEPLOYMENT_GROUP).set(DEPLOYMENT_GROUP.STATUS, GroupStatus.DONE).set(DEPLOYMENT_GROUP.FINISHED_AT, now)
                .where(DEPLOYMENT_GROUP.DEPLOYMENT_ID.eq(id), DEPLOYMENT_GROUP.SEQ.eq(seq)).execute();
        refreshCounts(id);
    }

    /** Brings the deployment's counts by status up to date. */
    public void refreshCounts(long id) {
        var counts = dsl.select(DEPLOYMENT_MODULE.STATUS, DSL.count()).from(DEPLOYMENT_MODULE).where(DEPLOYMENT_MODULE.DEPLOYMENT_ID.eq(id))
                .groupBy(DEPLOYMENT_MODULE.STATUS).fetchMap(DEPLOYMENT_MODULE.STATUS, DSL.count());
        dsl.update(DEPLOYMENT)
                .set(DEPLOYMENT.DEPLOYED_COUNT, counts.getOrDefault(DeployStatus.DEPLOYED, 0))
                .set(DEPLOYMENT.FAILED_COUNT, counts.getOrDefault(DeployStatus.FAILED, 0))
                .set(DEPLOYMENT.BLOCKED_COUNT, counts.getOrDefault(DeployStatus.BLOCKED, 0))
                .set(DEPLOYMENT.SKIPPED_COUNT, counts.getOrDefault(DeployStatus.SKIPPED, 0))
                .where(DEPLOYMENT.ID.eq(id)).execute();
    }

    /** Ends the deployment: succeeded when nothing it planned failed or was blocked; no lock outlives it, the slot is free. */
    public RunStatus finish(long id, String internalError, OffsetDateTime now) {
        boolean clean = internalError == null && !dsl.fetchExists(DEPLOYMENT_MODULE, DEPLOYMENT_MODULE.DEPLOYMENT_ID.eq(id),
                DEPLOYMENT_MODULE.STATUS.in(DeployStatus.FAILED, DeployStatus.BLOCKED, DeployStatus.PENDING, DeployStatus.DEPLOYING));
        var status = clean ? RunStatus.SUCCEEDED : RunStatus.FAILED;
        refreshCounts(id);
        dsl.deleteFrom(DEPLOYMENT_LOCK).where(DEPLOYMENT_LOCK.DEPLOYMENT_ID.eq(id)).execute();
        new RunSlot(dsl).release(RunKind.DEPLOYMENT, id);
        RunTable.DEPLOYMENTS.end(dsl, id, status, internalError, now);
        // Webhooks are told in the same transaction: the event is stored exactly when the deployment ends (I6).
        var row = dsl.selectFrom(DEPLOYMENT).where(DEPLOYMENT.ID.eq(id)).fetchSingle();
        var payload = new java.util.LinkedHashMap<String, Object>();
        payload.put("deploymentId", id);
        payload.put("status", status.code());
        payload.put("finishedAt", now.toInstant().toString());
        payload.put(DeployStatus.DEPLOYED.code(), row.getDeployedCount());
        payload.put(DeployStatus.SKIPPED.code(), row.getSkippedCount());
        payload.put(DeployStatus.FAILED.code(), row.getFailedCount());
        payload.put(DeployStatus.BLOCKED.code(), row.getBlockedCount());
        payload.put("internalError", internalError);
        modprep.notification.Outbox.publish(dsl, now, modprep.status.EventType.DEPLOYMENT_ENDED, payload);
        return status;
    }
}
