package modprep.readmodel;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.DEPLOYMENT_GROUP;
import static modprep.db.schema.Tables.DEPLOYMENT_MODULE;
import static modprep.db.schema.Tables.DEPLOYMENT_STEP;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_DEPLOYMENT;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import modprep.ModprepException;
import modprep.db.schema.tables.records.DeploymentRecord;
import modprep.status.DeployStatus;
import modprep.status.GroupStatus;
import modprep.status.RunStatus;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Records;
import org.jooq.impl.DSL;

/** Reads deployments for display (D8): a few queries per page, never one per row. */
public record DeploymentQueries(DSLContext dsl) {

    /** Every deployment, newest first, with its counts. */
    public List<DeploymentView> all() {
        var pending = pending();
        return dsl.selectFrom(DEPLOYMENT).orderBy(DEPLOYMENT.ID.desc()).fetch(r -> view(r, null, pending.getOrDefault(r.getId(), 0),
                List.of(), List.of()));
    }

    /** The latest deployment, or null. */
    public DeploymentView latest(boolean withGroups) {
        Long id = dsl.select(DSL.max(DEPLOYMENT.ID)).from(DEPLOYMENT).fetchOne(0, Long.class);
        return id == null ? null : deployment(id, withGroups);
    }

    public DeploymentView deployment(long id, boolean withGroups) {
        var r = dsl.selectFrom(DEPLOYMENT).where(DEPLOYMENT.ID.eq(id)).fetchOne();
        if (r == null) {
            throw ModprepException.notFound("no deployment #" + id);
        }
        Integer current = r.getStatus() != RunStatus.RUNNING ? null : dsl.select(DSL.min(DEPLOYMENT_GROUP.SEQ)).from(DEPLOYMENT_GROUP)
                .where(DEPLOYMENT_GROUP.DEPLOYMENT_ID.eq(id), DEPLOYMENT_GROUP.STATUS.eq(GroupStatus.RUNNING)).fetchOne(0, Integer.class);
        int pending = dsl.fetchCount(DEPLOYMENT_MODULE, DEPLOYMENT_MODULE.DEPLOYMENT_ID.eq(id),
                DEPLOYMENT_MODULE.STATUS.in(DeployStatus.PENDING, DeployStatus.DEPLOYING));
        return view(r, current, pending, withGroups ? groups(id) : List.of(), withGroups ? skipped(id) : List.of());
    }

    /** The deployment of each preparation run that was deployed (the Upgrades report's Deployment links). */
    public Map<Long, Long> byPreparationRun() {
        return dsl.select(DEPLOYMENT.PREPARATION_RUN_ID, DSL.max(DEPLOYMENT.ID)).from(DEPLOYMENT)
                .where(DEPLOYMENT.PREPARATION_RUN_ID.isNotNull(), DEPLOYMENT.DEPLOYED_COUNT.gt(0))
                .groupBy(DEPLOYMENT.PREPARATION_RUN_ID).fetchMap(DEPLOYMENT.PREPARATION_RUN_ID, DSL.max(DEPLOYMENT.ID));
    }

    /** What a module runs because of a deployment, if it does (the module page, D8). */
    public record Deployed(long deploymentId, String version, Instant at, String by) {
    }

    public Deployed runningDeployment(String module) {
        return dsl.select(MODULE_DEPLOYMENT.DEPLOYMENT_ID, MODULE_DEPLOYMENT.PLATFORM_VERSION, instant(MODULE_DEPLOYMENT.DEPLOYED_AT),
                        MODULE_DEPLOYMENT.DEPLOYED_BY)
                .from(MODULE_DEPLOYMENT).join(MODULE).on(MODULE.ID.eq(MODULE_DEPLOYMENT.MODULE_ID))
                .where(MODULE.NAME.eq(module), MODULE_DEPLOYMENT.ROLLED_BACK_AT.isNull(), MODULE_DEPLOYMENT.JAR_SHA256.eq(MODULE.RUNNING_JAR),
                        MODULE_DEPLOYMENT.PLATFORM_VERSION.eq(MODULE.RUNNING_VERSION))
                .orderBy(MODULE_DEPLOYMENT.ID.desc()).limit(1).fetchOptional(Records.mapping(Deployed::new)).orElse(null);
    }

    /** The groups of a deployment with their steps and modules, in one statement. */
    public List<DeploymentView.GroupView> groups(long id) {
        var steps = DSL.multiset(DSL.select(DEPLOYMENT_STEP.NAME, instant(DEPLOYMENT_STEP.STARTED_AT), instant(DEPLOYMENT_STEP.FINISHED_AT))
                        .from(DEPLOYMENT_STEP).where(DEPLOYMENT_STEP.DEPLOYMENT_ID.eq(DEPLOYMENT_GROUP.DEPLOYMENT_ID),
                                DEPLOYMENT_STEP.GROUP_SEQ.eq(DEPLOYMENT_GROUP.SEQ))
                        .orderBy(DEPLOYMENT_STEP.ORDINAL))
                .convertFrom(r -> r.map(Records.mapping(RunView.StepView::new)));
        var modules = DSL.multiset(DSL.select(DEPLOYMENT_MODULE.MODULE_NAME, DEPLOYMENT_MODULE.STATUS, DEPLOYMENT_MODULE.REASON,
                                instant(DEPLOYMENT_MODULE.STARTED_AT), instant(DEPLOYMENT_MODULE.FINISHED_AT))
                        .from(DEPLOYMENT_MODULE).where(DEPLOYMENT_MODULE.DEPLOYMENT_ID.eq(DEPLOYMENT_GROUP.DEPLOYMENT_ID),
                                DEPLOYMENT_MODULE.GROUP_SEQ.eq(DEPLOYMENT_GROUP.SEQ))
                        .orderBy(DEPLOYMENT_MODULE.POSITION))
                .convertFrom(r -> r.map(Records.mapping(DeploymentView.ModuleView::new)));
        return dsl.select(DEPLOYMENT_GROUP.SEQ, DEPLOYMENT_GROUP.STATUS, instant(DEPLOYMENT_GROUP.STARTED_AT),
                        instant(DEPLOYMENT_GROUP.FINISHED_AT), steps, modules)
                .from(DEPLOYMENT_GROUP).where(DEPLOYMENT_GROUP.DEPLOYMENT_ID.eq(id)).orderBy(DEPLOYMENT_GROUP.SEQ)
                .fetch(Records.mapping(DeploymentView.GroupView::new));
    }

    /** The modules skipped when it was planned, with why (D3). */
    public List<DeploymentView.ModuleView> skipped(long id) {
        return dsl.select(DEPLOYMENT_MODULE.MODULE_NAME, DEPLOYMENT_MODULE.STATUS, DEPLOYMENT_MODULE.REASON,
                        instant(DEPLOYMENT_MODULE.STARTED_AT), instant(DEPLOYMENT_MODULE.FINISHED_AT))
                .from(DEPLOYMENT_MODULE).where(DEPLOYMENT_MODULE.DEPLOYMENT_ID.eq(id), DEPLOYMENT_MODULE.GROUP_SEQ.eq(0))
                .orderBy(DEPLOYMENT_MODULE.MODULE_NAME).fetch(Records.mapping(DeploymentView.ModuleView::new));
    }

    private Map<Long, Integer> pending() {
        return dsl.select(DEPLOYMENT_MODULE.DEPLOYMENT_ID, DSL.count()).from(DEPLOYMENT_MODULE)
                .where(DEPLOYMENT_MODULE.STATUS.in(DeployStatus.PENDING, DeployStatus.DEPLOYING))
                .groupBy(DEPLOYMENT_MODULE.DEPLOYMENT_ID).fetchMap(DEPLOYMENT_MODULE.DEPLOYMENT_ID, DSL.count());
    }

    private static DeploymentView view(DeploymentRecord r, Integer current, int pending, List<DeploymentView.GroupView> groups,
                                       List<DeploymentView.ModuleView> skipped) {
        var counts = new DeploymentView.Counts(r.getTotalCount(), r.getDeployedCount(), r.getFailedCount(), r.getBlockedCount(),
                r.getSkippedCount(), pending);
        return new DeploymentView(r.getId(), r.getPlatformVersion(), r.getPreparationRunId(), r.getStatus(), r.getStartedBy(),
                RunQueries.instant(r.getStartedAt()), RunQueries.instant(r.getFinishedAt()), r.getInternalError(), r.getGroupCount(),
                current, counts, groups, skipped);
    }

    /** A deployment's row as a view without its groups (the stamp's, for the banner). */
    static DeploymentView summary(DeploymentRecord r, int pending) {
        return view(r, null, pending, List.of(), List.of());
    }

    private static Field<Instant> instant(Field<OffsetDateTime> time) {
        return time.convertFrom(RunQueries::instant);
    }
}
