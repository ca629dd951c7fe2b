package modprep.status;

import java.time.Instant;

/**
 * A step of a group (P13) as its times tell it: not started, in progress, done. Not stored: a step row
 * holds only its start and end.
 */
public enum StepStatus implements Coded {
    PENDING("pending", "waiting", "text-body-secondary"),
    RUNNING("running", "in progress", "border-primary fw-semibold"),
    DONE("done", "done", "border-success");

    private final String code;
    private final String label;
    private final String badge;

    StepStatus(String code, String label, String badge) {
        this.code = code;
        this.label = label;
        this.badge = badge;
    }

    @Override
    public String code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** The classes of the step's box on a run's page. */
    public String badge() {
        return badge;
    }

    public static StepStatus of(Instant startedAt, Instant finishedAt) {
        return finishedAt != null ? DONE : startedAt != null ? RUNNING : PENDING;
    }
}
