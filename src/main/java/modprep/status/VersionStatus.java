package modprep.status;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A module's status for a version as {@link ModuleStatus#of} decided it, with what it depends on: the
 * run entry it comes from, the version the module runs. It words itself for every reader: a badge's
 * label, the module page's sentence (U6), a producer's reason in a publish refusal (P8), and the
 * API's JSON ({@code code, version, text, runId, group, diagnostics, blockedBy}).
 */
@JsonPropertyOrder({"code", "version", "text", "runId", "group", "diagnostics", "blockedBy"})
public record VersionStatus(@JsonIgnore ModuleStatus status, String version, @JsonIgnore RunEntry run,
                            @JsonIgnore String runningVersion, @JsonIgnore boolean runInProgress) {

    @JsonProperty
    public String code() {
        return status.code();
    }

    @JsonProperty
    public Long runId() {
        return run == null ? null : run.runId();
    }

    /** The group it waits in, is prepared in, failed or was blocked in. */
    @JsonProperty
    public Integer group() {
        return run == null || status == ModuleStatus.PREPARED ? null : run.group();
    }

    @JsonProperty
    public String diagnostics() {
        return status == ModuleStatus.FAILED ? run.diagnostics() : null;
    }

    @JsonProperty
    public String blockedBy() {
        return status == ModuleStatus.BLOCKED ? run.blockedBy() : null;
    }

    /** A badge's words: "in group 3", "blocked by Auth", "running on 11.17.0". */
    @JsonIgnore
    public String label() {
        return switch (status) {
            case PENDING -> "in group " + run.group();
            case BLOCKED -> "blocked by " + run.blockedBy();
            case RUNNING -> "running on " + version;
            default -> status.label();
        };
    }

    @JsonIgnore
    public String badge() {
        return status.badge();
    }

    /** U6: the module page's sentence. */
    @JsonProperty
    public String text() {
        String v = version;
        return switch (status) {
            case UPLOADED -> "Only uploaded, never published: there is nothing to prepare. Publish it to run it on " + v + ".";
            case RUNNING -> "Running on " + v + ".";
            case PREPARED -> "Prepared for " + v + ": publish it to use it. It still runs its compilation for " + runningVersion + ".";
            case PENDING -> "Not yet prepared for " + v + ": waiting in group " + run.group() + " of " + run.groupCount()
                    + " of preparation run #" + run.runId() + ".";
            case PREPARING -> "Being prepared for " + v + " now, in group " + run.group() + " of preparation run #" + run.runId() + ".";
            case FAILED -> "Failed to prepare for " + v + " in run #" + run.runId()
                    + ": fix its code, upload and publish it, or run Prepare again.";
            case BLOCKED -> "Blocked by " + run.blockedBy() + ", which failed to prepare for " + v + " in run #" + run.runId()
                    + ": once it is fixed and published, run Prepare.";
            case PUBLISH_REQUIRED -> "Publish required: the upgrade to " + v
                    + " has no modules preparation, so this module must be published to run on " + v + ".";
            case NOT_PREPARED -> "Not prepared for " + v + ": it was not upgraded to the current version. Publishing it, "
                    + "or running Prepare, fixes that.";
        };
    }

    /** P8: why a producer keeps its consumers from being published, as a publish refusal names it. */
    @JsonIgnore
    public String reason() {
        return switch (status) {
            case UPLOADED -> "it was never published";
            case PUBLISH_REQUIRED -> "it must be published again for " + version
                    + " (the upgrade marked every module publish required)";
            case PENDING -> "the run has not reached it yet (run #" + run.runId() + ", group " + run.group() + " of "
                    + run.groupCount() + ")";
            case PREPARING -> "it is being prepared now (run #" + run.runId() + ", group " + run.group() + ")";
            case FAILED -> "its preparation failed in run #" + run.runId();
            case BLOCKED -> "it is blocked by " + run.blockedBy() + ", which failed in run #" + run.runId();
            case NOT_PREPARED -> runInProgress ? "one of its own producers is not prepared for " + version
                    : "no preparation run is going on";
            case PREPARED, RUNNING -> "it is prepared for " + version;
        };
    }
}
