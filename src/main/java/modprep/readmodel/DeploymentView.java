package modprep.readmodel;

import java.time.Instant;
import java.util.List;
import modprep.status.DeployStatus;
import modprep.status.GroupStatus;
import modprep.status.RunStatus;

/**
 * A deployment as the CLI, the API and the console show it (D8): its counts, its groups with their timed
 * steps and modules, and every module it skipped with why (D3). Times are UTC instants.
 */
public record DeploymentView(long id, String version, Long preparationRunId, RunStatus status, String startedBy, Instant startedAt,
                             Instant finishedAt, String internalError, int groupCount, Integer currentGroup, Counts counts,
                             List<GroupView> groups, List<ModuleView> skipped) {

    /**
     * Planned: the modules of its groups; skipped: those skipped when planned and those a check skipped
     * (published meanwhile); pending: planned modules not yet at an end.
     */
    public record Counts(int planned, int deployed, int failed, int blocked, int skipped, int pending) {
    }

    public record GroupView(int seq, GroupStatus status, Instant startedAt, Instant finishedAt, List<RunView.StepView> steps,
                            List<ModuleView> modules) {
    }

    public record ModuleView(String name, DeployStatus status, String reason, Instant startedAt, Instant finishedAt) {
    }

    public boolean running() {
        return status == RunStatus.RUNNING;
    }

    public boolean succeeded() {
        return status == RunStatus.SUCCEEDED;
    }

    /** Its status in words, or that it could not go on (an internal error). */
    public String statusLabel() {
        return internalError != null && !running() ? "internal error" : status.label();
    }

    /** "Deploying 240 of 300 modules": how far it is (the banner, D8). */
    public int done() {
        return counts.planned() - counts.pending();
    }
}
