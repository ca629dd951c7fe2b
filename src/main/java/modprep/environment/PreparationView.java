package modprep.environment;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import modprep.platform.PlatformVersion;
import modprep.status.PreparationMode;
import modprep.status.RunEntry;
import modprep.status.RunKind;
import org.jooq.DSLContext;

/**
 * What the environment needs to know of the preparation, read in the caller's transaction: who holds
 * a module's lock (P7) and where modules stand in the latest run (P8). The preparation engine implements
 * it; the environment never reads the preparation's tables itself.
 */
public interface PreparationView {

    /** Who holds a module's lock: which run (a preparation, or a deployment: D4), which group, started when and by whom. */
    record Lock(String module, long runId, Integer groupSeq, int groupCount, PreparationMode mode,
                OffsetDateTime runStartedAt, String runStartedBy, RunKind kind) {
        public Lock(String module, long runId, Integer groupSeq, int groupCount, PreparationMode mode,
                    OffsetDateTime runStartedAt, String runStartedBy) {
            this(module, runId, groupSeq, groupCount, mode, runStartedAt, runStartedBy, RunKind.PREPARATION);
        }
    }

    /** The latest run for a version (null id: none yet) and the named modules' entries in it. */
    record LatestRun(Long id, boolean inProgress, int groupCount, Map<String, RunEntry> entries) {
    }

    /** The locks held on these modules, by module name. */
    Map<String, Lock> locksOf(DSLContext tx, Collection<String> modules);

    /** The latest run for the version and these modules' entries in it (null: every module's). */
    LatestRun latestRun(DSLContext tx, PlatformVersion version, Collection<String> modules);
}
