package modprep.testing;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.DEPLOYMENT_GROUP;
import static modprep.db.schema.Tables.DEPLOYMENT_STEP;
import static modprep.db.schema.Tables.GROUP_STEP;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_GROUP;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;
import modprep.preparation.GroupStep;
import modprep.status.GroupStatus;
import modprep.status.RunStatus;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Where a run of groups and steps stands, as a test sees it from outside, in the database: how many
 * of its groups are done, and which step of the next group is in progress (0: that group has not
 * started), with the time that step started, which tells one attempt at a step from another.
 *
 * @param running false once the run has ended
 */
public record RunProgress(int groups, int groupsDone, int step, OffsetDateTime stepStarted, boolean running) {

    /** The steps of a preparation run's groups (P13), in order: lock modules … unlock. */
    public static final List<String> PREPARATION_STEPS = GroupStep.ORDER.stream().map(GroupStep::label).toList();

    /** The steps of a deployment's groups (D8), in order: lock modules, check, deploy, unlock. */
    public static final List<String> DEPLOYMENT_STEPS = modprep.deployment.DeploymentStep.ORDER.stream()
            .map(modprep.deployment.DeploymentStep::label).toList();

    /** Whether both show the same attempt at the same step (a step left in progress by a killed process, say). */
    public boolean sameStepAs(RunProgress other) {
        return groupsDone == other.groupsDone && step == other.step && java.util.Objects.equals(stepStarted, other.stepStarted);
    }

    /**
     * A preparation run's progress, read in one statement (so it is one committed state): groups done
     * in run_group, the highest started step of the group in progress in group_step, the run's status.
     */
    public static Function<DSLContext, RunProgress> ofPreparationRun(long runId) {
        return dsl -> {
            var inProgress = RUN_GROUP.as("in_progress");
            var stepInProgress = DSL.select(GROUP_STEP.ORDINAL, GROUP_STEP.STARTED_AT).from(GROUP_STEP)
                    .join(inProgress).on(inProgress.RUN_ID.eq(GROUP_STEP.RUN_ID), inProgress.SEQ.eq(GROUP_STEP.GROUP_SEQ))
                    .where(GROUP_STEP.RUN_ID.eq(runId), inProgress.STATUS.eq(GroupStatus.RUNNING), GROUP_STEP.STARTED_AT.isNotNull())
                    .orderBy(GROUP_STEP.GROUP_SEQ, GROUP_STEP.ORDINAL.desc()).limit(1).asTable("step_in_progress");
            var done = DSL.field(DSL.selectCount().from(RUN_GROUP)
                    .where(RUN_GROUP.RUN_ID.eq(runId), RUN_GROUP.STATUS.eq(GroupStatus.DONE)));
            var ordinal = stepInProgress.field(GROUP_STEP.ORDINAL);
            var started = stepInProgress.field(GROUP_STEP.STARTED_AT);
            var row = dsl.select(PREPARATION_RUN.GROUP_COUNT, PREPARATION_RUN.STATUS, done, ordinal, started)
                    .from(PREPARATION_RUN).leftJoin(stepInProgress).on(DSL.trueCondition())
                    .where(PREPARATION_RUN.ID.eq(runId)).fetchOne();
            if (row == null) {
                throw new AssertionError("there is no preparation run #" + runId);
            }
            return new RunProgress(row.value1(), row.value3(), row.value4() == null ? 0 : row.value4(), row.value5(),
                    row.value2() == RunStatus.RUNNING);
        };
    }

    /** A deployment's progress, read in one statement, as {@link #ofPreparationRun} reads a run's. */
    public static Function<DSLContext, RunProgress> ofDeployment(long id) {
        return dsl -> {
            var inProgress = DEPLOYMENT_GROUP.as("in_progress");
            var stepInProgress = DSL.select(DEPLOYMENT_STEP.ORDINAL, DEPLOYMENT_STEP.STARTED_AT).from(DEPLOYMENT_STEP)
                    .join(inProgress).on(inProgress.DEPLOYMENT_ID.eq(DEPLOYMENT_STEP.DEPLOYMENT_ID), inProgress.SEQ.eq(DEPLOYMENT_STEP.GROUP_SEQ))
                    .where(DEPLOYMENT_STEP.DEPLOYMENT_ID.eq(id), inProgress.STATUS.eq(GroupStatus.RUNNING), DEPLOYMENT_STEP.STARTED_AT.isNotNull())
                    .orderBy(DEPLOYMENT_STEP.GROUP_SEQ, DEPLOYMENT_STEP.ORDINAL.desc()).limit(1).asTable("step_in_progress");
            var done = DSL.field(DSL.selectCount().from(DEPLOYMENT_GROUP)
                    .where(DEPLOYMENT_GROUP.DEPLOYMENT_ID.eq(id), DEPLOYMENT_GROUP.STATUS.eq(GroupStatus.DONE)));
            var ordinal = stepInProgress.field(DEPLOYMENT_STEP.ORDINAL);
            var started = stepInProgress.field(DEPLOYMENT_STEP.STARTED_AT);
            var row = dsl.select(DEPLOYMENT.GROUP_COUNT, DEPLOYMENT.STATUS, done, ordinal, started)
                    .from(DEPLOYMENT).leftJoin(stepInProgress).on(DSL.trueCondition())
                    .where(DEPLOYMENT.ID.eq(id)).fetchOne();
            if (row == null) {
                throw new AssertionError("there is no deployment #" + id);
            }
            return new RunProgress(row.value1(), row.value3(), row.value4() == null ? 0 : row.value4(), row.value5(),
                    row.value2() == RunStatus.RUNNING);
        };
    }
}
