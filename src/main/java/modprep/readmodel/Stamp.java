package modprep.readmodel;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.DEPLOYMENT_MODULE;
import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;

import java.time.OffsetDateTime;
import modprep.ModprepException;
import modprep.status.GroupStatus;
import modprep.status.RunStatus;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * What the console's pages were computed from, read in one statement. {@code latestRun} is the latest run
 * (any version, no groups), with its counts: the banner and sidebar show it. {@code group}, {@code
 * groupStatus} and {@code groupStartedAt} describe its first group not done while it runs (nulls
 * otherwise); the run's {@code currentGroup} is that group only while it is being worked on.
 */
public record Stamp(String version, long revision, long builds, OffsetDateTime lastBuild, RunView latestRun,
                    Integer group, GroupStatus groupStatus, OffsetDateTime groupStartedAt, DeploymentView latestDeployment) {
    // Aliases made once: a jOOQ table alias copies every field, on every request otherwise.
    private static final modprep.db.schema.tables.PreparationRun LATEST = PREPARATION_RUN.as("latest");
    private static final modprep.db.schema.tables.RunGroup OPEN = RUN_GROUP.as("open");
    private static final modprep.db.schema.tables.RunGroup IN_PROGRESS = RUN_GROUP.as("in_progress");
    private static final modprep.db.schema.tables.Deployment LATEST_DEPLOYMENT = DEPLOYMENT.as("latest_deployment");

    Long runId() {
        return latestRun == null ? null : latestRun.id();
    }

    boolean running() {
        return latestRun != null && latestRun.running();
    }

    /**
     * The stamp now, in one statement: one statement sees one moment, so a group that ends meanwhile
     * cannot pair its new state with the compilations and counts from before.
     */
    static Stamp read(DSLContext dsl) {
        var latest = LATEST;
        var builds = DSL.field(DSL.select(DSL.count()).from(MODULE_BUILD));
        var lastBuild = DSL.field(DSL.select(DSL.max(MODULE_BUILD.BUILT_AT)).from(MODULE_BUILD));
        var open = OPEN;
        var inProgress = IN_PROGRESS;
        // D8: the latest deployment and how many of its modules are still to do, for the banner.
        var latestDeployment = LATEST_DEPLOYMENT;
        var deploymentPending = DSL.field(DSL.select(DSL.count()).from(DEPLOYMENT_MODULE).where(DEPLOYMENT_MODULE.DEPLOYMENT_ID.eq(DEPLOYMENT.ID),
                DEPLOYMENT_MODULE.STATUS.in(modprep.status.DeployStatus.PENDING, modprep.status.DeployStatus.DEPLOYING)));
        var row = dsl.select(ENVIRONMENT.PLATFORM_VERSION, ENVIRONMENT.REVISION, builds, lastBuild)
                .select(PREPARATION_RUN.fields())
                .select(inProgress.SEQ, inProgress.STATUS, inProgress.STARTED_AT)
                .select(DEPLOYMENT.fields()).select(deploymentPending)
                .from(ENVIRONMENT)
                .leftJoin(DEPLOYMENT).on(DEPLOYMENT.ID.eq(DSL.field(DSL.select(DSL.max(latestDeployment.ID)).from(latestDeployment))))
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
        var deployment = row.into(DEPLOYMENT);
        var deploymentView = deployment.getId() == null ? null : DeploymentQueries.summary(deployment, row.get(deploymentPending));
        return new Stamp(row.get(ENVIRONMENT.PLATFORM_VERSION), row.get(ENVIRONMENT.REVISION), row.get(builds), row.get(lastBuild),
                latestRun, group, groupStatus, groupStartedAt, deploymentView);
    }
}
