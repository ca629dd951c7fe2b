package modprep.preparation;

import java.time.Instant;
import java.util.List;

/**
 * A run as the CLI's JSON, the HTTP API and the console show it: its counts, its groups with their
 * steps and modules, and what it left out. Times are UTC instants (ISO-8601 in JSON).
 */
public record RunView(long id, String fromVersion, String toVersion, String mode, String status, String trigger,
                      String startedBy, Instant startedAt, Instant finishedAt, String internalError,
                      boolean publishAllRecommended, int groupCount, Integer currentGroup, Counts counts,
                      List<GroupView> groups, List<Exclusion> excluded) {

    public record Counts(int total, int prepared, int failed, int blocked, int pending) {
        public int percentPrepared() {
            return total == 0 ? 100 : prepared * 100 / total;
        }
    }

    public record GroupView(int seq, String status, Instant startedAt, Instant finishedAt, List<StepView> steps,
                            List<ModuleView> modules) {
    }

    public record StepView(String name, Instant startedAt, Instant finishedAt) {
    }

    public record ModuleView(String name, String status, Instant startedAt, Instant finishedAt, Long durationMs,
                             String diagnostics, String blockedBy) {
    }

    public record Exclusion(String name, String reason) {
    }

    public boolean running() {
        return status.equals(RunStatus.RUNNING.id());
    }

    public boolean succeeded() {
        return status.equals(RunStatus.SUCCEEDED.id());
    }
}
