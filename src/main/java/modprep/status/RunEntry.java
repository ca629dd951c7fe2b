package modprep.status;

/**
 * A module's row in the latest run for a version: its status there, its group, and for a failure its
 * diagnostics or the failed modules it waits on.
 */
public record RunEntry(long runId, ModuleStatus status, int group, int groupCount, String diagnostics,
                       String blockedBy) {
}
