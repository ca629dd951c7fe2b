package modprep.status;

/** What a run in progress is (stored in run_in_progress.kind): a preparation or a deployment never run at once (D2). */
public enum RunKind implements Coded {
    PREPARATION("preparation", "preparation run", "/preparations/"),
    DEPLOYMENT("deployment", "deployment", "/deployments/");

    private final String code;
    private final String label;
    private final String page;

    RunKind(String code, String label, String page) {
        this.code = code;
        this.label = label;
        this.page = page;
    }

    @Override
    public String code() {
        return code;
    }

    /** How a refusal names it: "preparation run #4", "deployment #2". */
    public String named(long id) {
        return label + " #" + id;
    }

    /** The console page that follows it. */
    public String page(long id) {
        return page + id;
    }

    public static RunKind of(String code) {
        return Coded.of(RunKind.class, code);
    }
}
