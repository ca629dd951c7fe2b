package modprep.status;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A module's status for a platform version: the one vocabulary of the console, the CLI, the API and
 * the publish checks (U6, P8). The first five are also a module's status within a run (stored in
 * run_module.status), with the one table of moves they may make there; the others are told from the
 * environment alone. {@link #of} is the one rule that decides it.
 */
public enum ModuleStatus implements Coded {
    PENDING("pending", "in group", "text-bg-secondary", "Waiting or being prepared"),
    PREPARING("preparing", "preparing", "text-bg-info", "Waiting or being prepared"),
    PREPARED("prepared", "prepared", "text-bg-primary", "Prepared, not deployed (publish or Deploy to use)"),
    FAILED("failed", "failed", "text-bg-danger", "Failed"),
    BLOCKED("blocked", "blocked by", "text-bg-warning", "Blocked"),
    RUNNING("running", "running on", "text-bg-success", "Running on the current version (deployed)"),
    NOT_PREPARED("not-prepared", "not prepared", "text-bg-dark", "Not prepared"),
    PUBLISH_REQUIRED("publish-required", "publish required", "text-bg-warning", "Publish required"),
    UPLOADED("uploaded", "uploaded only", "text-bg-light border", "Uploaded only");

    /** The statuses a module can have within a run: the values of run_module.status. */
    public static final Set<ModuleStatus> IN_RUN = EnumSet.of(PENDING, PREPARING, PREPARED, FAILED, BLOCKED);

    /** The Modules page's filter that takes waiting and preparing modules together. */
    public static final String IN_PROGRESS_FILTER = "in-progress";

    private static final Map<ModuleStatus, Set<ModuleStatus>> ALLOWED_IN_RUN = Map.of(
            PENDING, EnumSet.of(PREPARING, BLOCKED),
            // A group redone after a crash finds its modules still preparing.
            PREPARING, EnumSet.of(PREPARING, PREPARED, FAILED, BLOCKED),
            PREPARED, EnumSet.noneOf(ModuleStatus.class),
            FAILED, EnumSet.noneOf(ModuleStatus.class),
            BLOCKED, EnumSet.noneOf(ModuleStatus.class));

    private final String code;
    private final String label;
    private final String badge;
    private final String filterLabel;

    ModuleStatus(String code, String label, String badge, String filterLabel) {
        this.code = code;
        this.label = label;
        this.badge = badge;
        this.filterLabel = filterLabel;
    }

    @Override
    public String code() {
        return code;
    }

    /** Bootstrap's badge class for it; every badge also carries its words (statuses are never told by colour alone). */
    public String badge() {
        return badge;
    }

    /** The short words of a badge; {@link VersionStatus#label()} adds the group, the version or the failing producer. */
    String label() {
        return label;
    }

    /** P8: a consumer may be published on it (the module is prepared, or published, for the version). */
    public boolean current() {
        return this == PREPARED || this == RUNNING;
    }

    /**
     * Nothing of the preparation keeps it from being published (an application is ready to publish when
     * every module's status is so): prepared or running, or nothing to prepare (uploaded, publish required).
     */
    public boolean publishable() {
        return current() || this == UPLOADED || this == PUBLISH_REQUIRED;
    }

    /** P7: the group in progress holds it (a sequential run also locks every other module until it ends). */
    public boolean locked() {
        return this == PREPARING;
    }

    /** Waiting in the run or being prepared now. */
    public boolean inProgress() {
        return this == PENDING || this == PREPARING;
    }

    /** The code of the Modules page's filter that shows it. */
    public String filter() {
        return inProgress() ? IN_PROGRESS_FILTER : code;
    }

    /** The Modules page's filters, in order: their codes and words. */
    public static Map<String, String> filters() {
        var filters = new LinkedHashMap<String, String>();
        filters.put("", "All statuses");
        for (var status : new ModuleStatus[] {RUNNING, PREPARED, PENDING, FAILED, BLOCKED, NOT_PREPARED, PUBLISH_REQUIRED, UPLOADED}) {
            filters.put(status.filter(), status.filterLabel);
        }
        return filters;
    }

    /** A move within a run. */
    public boolean canMoveTo(ModuleStatus next) {
        return ALLOWED_IN_RUN.getOrDefault(this, Set.of()).contains(next);
    }

    public static ModuleStatus of(String code) {
        return Coded.of(ModuleStatus.class, code);
    }

    /**
     * The one rule (U6): a module's status for a version. {@code current}: it has a compilation of the code
     * it runs for the version, made from its producers' current compilations (see environment's
     * Currentness); {@code runInProgress}: the latest run for the version is going on; {@code inRun}: the
     * module's row in that run, if any.
     */
    public static VersionStatus of(String version, ModuleFacts module, boolean current, boolean runInProgress, RunEntry inRun) {
        ModuleStatus status;
        if (!module.published()) {
            status = UPLOADED;
        } else if (current) {
            status = version.equals(module.runningVersion()) ? RUNNING : PREPARED;
        } else if (inRun != null && inRun.status().inProgress() && runInProgress) {
            status = inRun.status();
        } else if (inRun != null && (inRun.status() == FAILED || inRun.status() == BLOCKED)) {
            status = inRun.status();
        } else if (module.publishRequired()) {
            status = PUBLISH_REQUIRED;
        } else {
            status = NOT_PREPARED;
        }
        boolean fromRun = inRun != null && (status.inProgress() || status == FAILED || status == BLOCKED || status == PREPARED);
        return new VersionStatus(status, version, fromRun ? inRun : null, module.runningVersion(), runInProgress);
    }

    /** What the environment says of a module, for {@link #of}. */
    public record ModuleFacts(boolean published, String runningVersion, boolean publishRequired) {
    }
}
