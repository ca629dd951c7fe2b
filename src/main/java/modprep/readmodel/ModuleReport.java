package modprep.readmodel;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import modprep.environment.PublishState;
import modprep.status.PreparationMode;
import modprep.status.VersionStatus;

/**
 * One module as a developer needs to see it (U6): its state, what it runs now, its status for the
 * current platform version in plain words, its producers and consumers with theirs, its configuration.
 */
public record ModuleReport(String name, String application, PublishState state, int latestCodeVersion,
                           Integer publishedCodeVersion, Running runs, VersionStatus statusForCurrentVersion,
                           List<Neighbour> producers, List<Neighbour> consumers, Map<String, String> configuration,
                           Lock lock) {

    /** What the module runs: the platform version its running compilation was made with. */
    public record Running(String version, Instant publishedAt, String publishedBy) {
    }

    public record Neighbour(String name, String statusCode, String statusText) {
    }

    /** The run that holds the module's lock (P7), if any. */
    public record Lock(long runId, Integer group, PreparationMode mode) {
    }
}
