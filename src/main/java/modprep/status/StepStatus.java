package modprep.status;

import java.time.Instant;

/**
 * A step of a group (P13) as its times tell it: not started, in progress, done. Not stored: a step row
 * holds only its start and end.
 */
public enum StepStatus implements Worded {
    PENDING("pending", "waiting", "text-body-secondary"),
    RUNNING("running", "in progress", "border-primary fw-semibold"),
    DONE("done", "done", "border-success");

    private final Words words;

    StepStatus(String code, String label, String badge) {
        this.words = new Words(code, label, badge);
    }

    @Override
    public Words words() {
        return words;
    }

    public static StepStatus of(Instant startedAt, Instant finishedAt) {
        return finishedAt != null ? DONE : startedAt != null ? RUNNING : PENDING;
    }
}
