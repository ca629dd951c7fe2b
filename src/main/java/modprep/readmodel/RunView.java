package modprep.readmodel;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import modprep.status.GroupStatus;
import modprep.status.ModuleStatus;
import modprep.status.PreparationMode;
import modprep.status.RunStatus;
import modprep.status.RunTrigger;
import modprep.status.StepStatus;

/**
 * A run as the CLI's JSON, the HTTP API and the console show it: its counts, its groups with their
 * steps and modules, and what it left out. Times are UTC instants (ISO-8601 in JSON).
 */
public record RunView(long id, String fromVersion, String toVersion, PreparationMode mode, RunStatus status, RunTrigger trigger,
                      String startedBy, Instant startedAt, Instant finishedAt, String internalError,
                      boolean publishAllRecommended, int groupCount, Integer currentGroup, Counts counts,
                      List<GroupView> groups, List<Exclusion> excluded) {

    public record Counts(int total, int prepared, int failed, int blocked, int pending) {
        public int percentPrepared() {
            return total == 0 ? 100 : prepared * 100 / total;
        }
    }

    public record GroupView(int seq, GroupStatus status, Instant startedAt, Instant finishedAt, List<StepView> steps,
                            List<ModuleView> modules) {
    }

    public record StepView(String name, Instant startedAt, Instant finishedAt) {
        public StepStatus status() {
            return StepStatus.of(startedAt, finishedAt);
        }
    }

    public record ModuleView(String name, ModuleStatus status, Instant startedAt, Instant finishedAt, Long durationMs,
                             String diagnostics, String blockedBy) {
        /** It went through javac (a blocked module never does): its compile time means something. */
        @JsonIgnore
        public boolean compiled() {
            return durationMs != null && status != ModuleStatus.BLOCKED;
        }

        @JsonIgnore
        public boolean failed() {
            return status == ModuleStatus.FAILED;
        }
    }

    public record Exclusion(String name, String reason) {
    }

    public boolean running() {
        return status == RunStatus.RUNNING;
    }

    /** Ended for good: nothing about it changes any more (a run an internal error stopped may yet go on). */
    public boolean ended() {
        return ended(status, internalError, finishedAt != null);
    }

    static boolean ended(RunStatus status, String internalError, boolean finished) {
        return status != RunStatus.RUNNING && internalError == null && finished;
    }

    public boolean succeeded() {
        return status == RunStatus.SUCCEEDED;
    }

    /** P4: every module stays locked until the run ends. */
    public boolean sequential() {
        return mode == PreparationMode.SEQUENTIAL;
    }

    /** The run's status in words; a run that could not go on says so apart from module failures (U5). */
    public String statusLabel() {
        return internalError != null && !running() ? "internal error" : status.label();
    }
}
