package modprep.readmodel;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.DEPLOYMENT_MODULE;
import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;

import java.time.OffsetDateTime;
import modprep.status.GroupStatus;
import modprep.status.RunStatus;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * What the console's pages were computed from, read in one statement. {@code latestRun} is the latest run
 * (any version, no groups), with its counts: the banner and sidebar show it. {@code group}, {@code
 * groupStatus} and {@code groupStartedAt} describe its first group not done while it runs (nulls
 * otherwise); the run's {@code currentGroup} is that group only while it is being worked on.
 */
public record Stamp(String version, long revision, long builds, OffsetDateTime lastBuild, RunView latestRun,
                    Integer group, GroupStatus groupStatus, OffsetDateTime groupStartedAt, DeploymentView latestDeployment) {
    // Every page and live update reads the stamp: its statement is made and rendered once (RenderedOnce).
    private static final modprep.db.schema.tables.PreparationRun LATEST = PREPARATION_RUN.as("latest");
    private static final modprep.db.schema.tables.RunGroup OPEN = RUN_GROUP.as("open");
    private static final modprep.db.schema.tables.RunGroup IN_PROGRESS = RUN_GROUP.as("in_progress");
    private static final modprep.db.schema.tables.Deployment LATEST_DEPLOYMENT = DEPLOYMENT.as("latest_deployment");
    private static final Field<Integer> BUILDS = DSL.field(DSL.select(DSL.count()).from(MODULE_BUILD));
    private static final Field<OffsetDateTime> LAST_BUILD = DSL.field(DSL.select(DSL.max(MODULE_BUILD.BUILT_AT)).from(MODULE_BUILD));
    /** D8: how many of the latest deployment's modules are still to do, for the banner. */
    private static final Field<Integer> DEPLOYMENT_PENDING = DSL.field(DSL.select(DSL.count()).from(DEPLOYMENT_MODULE)
            .where(DEPLOYMENT_MODULE.DEPLOYMENT_ID.eq(DEPLOYMENT.ID),
                    DEPLOYMENT_MODULE.STATUS.in(DSL.inline(modprep.status.DeployStatus.PENDING, DEPLOYMENT_MODULE.STATUS),
                            DSL.inline(modprep.status.DeployStatus.DEPLOYING, DEPLOYMENT_MODULE.STATUS))));
    private static final modprep.db.RenderedOnce QUERY = new modprep.db.RenderedOnce(DSL.select(ENVIRONMENT.PLATFORM_VERSION, ENVIRONMENT.REVISION, BUILDS, LAST_BUILD)
            .select(PREPARATION_RUN.fields())
            .select(IN_PROGRESS.SEQ, IN_PROGRESS.STATUS, IN_PROGRESS.STARTED_AT)
            .select(DEPLOYMENT.fields()).select(DEPLOYMENT_PENDING)
            .from(ENVIRONMENT)
            .leftJoin(DEPLOYMENT).on(DEPLOYMENT.ID.eq(DSL.field(DSL.select(DSL.max(LATEST_DEPLOYMENT.ID)).from(LATEST_DEPLOYMENT))))
            .leftJoin(PREPARATION_RUN).on(PREPARATION_RUN.ID.eq(DSL.field(DSL.select(DSL.max(LATEST.ID)).from(LATEST))))
            // The run's first group not done: the one in progress (or next) while it runs.
            .leftJoin(IN_PROGRESS).on(IN_PROGRESS.RUN_ID.eq(PREPARATION_RUN.ID), IN_PROGRESS.SEQ.eq(DSL.field(
                    DSL.select(DSL.min(OPEN.SEQ)).from(OPEN).where(OPEN.RUN_ID.eq(PREPARATION_RUN.ID), OPEN.STATUS.ne(DSL.inline(GroupStatus.DONE, OPEN.STATUS)))))));

    Long runId() {
        return latestRun == null ? null : latestRun.id();
    }

    boolean running() {
        return latestRun != null && latestRun.running();
    }

    /**
     * A run as this stamp shows it: the latest as the stamp read it (its counts, its group in progress), as
     * the banner shows it; any other as given. Read after the stamp, the latest run's row may be a group further on.
     */
    public RunView shown(RunView run) {
        return latestRun != null && latestRun.id() == run.id() ? latestRun : run;
    }

    /**
     * The stamp now, in one statement: one statement sees one moment, so a group that ends meanwhile
     * cannot pair its new state with the compilations and counts from before.
     */
    static Stamp read(DSLContext dsl) {
        var row = QUERY.fetchOne(dsl);
        if (row == null) {
            throw modprep.environment.EnvironmentRepository.noEnvironment(dsl);
        }
        var run = row.into(PREPARATION_RUN);
        boolean running = run.getId() != null && run.getStatus().equals(RunStatus.RUNNING);
        Integer group = running ? row.get(IN_PROGRESS.SEQ) : null;
        GroupStatus groupStatus = running ? row.get(IN_PROGRESS.STATUS) : null;
        OffsetDateTime groupStartedAt = running ? row.get(IN_PROGRESS.STARTED_AT) : null;
        // A group is in progress only while it is being worked on, not while it waits for its turn.
        var latestRun = run.getId() == null ? null : RunQueries.view(run, groupStatus == GroupStatus.RUNNING ? group : null);
        var deployment = row.into(DEPLOYMENT);
        var deploymentView = deployment.getId() == null ? null : DeploymentQueries.summary(deployment, row.get(DEPLOYMENT_PENDING));
        return new Stamp(row.get(ENVIRONMENT.PLATFORM_VERSION), row.get(ENVIRONMENT.REVISION), row.get(BUILDS), row.get(LAST_BUILD),
                latestRun, group, groupStatus, groupStartedAt, deploymentView);
    }
}
