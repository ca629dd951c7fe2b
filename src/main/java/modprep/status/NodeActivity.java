package modprep.status;

/**
 * What a process sharing the database is doing now (worker_process.activity, the Nodes page): idle,
 * preparing a group of a run, deploying, compiling a batch ahead of a run, or stopped because the
 * database's schema is newer than it knows.
 */
public enum NodeActivity implements Worded {
    IDLE("idle", "idle", "text-body-secondary"),
    PREPARING("preparing", "preparing", "border-primary fw-semibold"),
    DEPLOYING("deploying", "deploying", "border-primary fw-semibold"),
    COMPILING("compiling", "compiling", "border-primary fw-semibold"),
    STOPPED("stopped", "stopped: schema newer", "border-danger fw-semibold");

    private final Words words;

    NodeActivity(String code, String label, String badge) {
        this.words = new Words(code, label, badge);
    }

    @Override
    public Words words() {
        return words;
    }

    public static NodeActivity of(String code) {
        return Coded.of(NodeActivity.class, code);
    }
}
