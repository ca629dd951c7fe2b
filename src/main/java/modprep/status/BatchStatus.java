package modprep.status;

/** Where a compile batch of a run stands (P14; stored in compile_batch.status). */
public enum BatchStatus implements Worded {
    WAITING("waiting", "waiting for a node", "text-bg-secondary"),
    COMPILING("compiling", "being compiled", "text-bg-primary"),
    DONE("done", "compiled", "text-bg-success");

    private final Words words;

    BatchStatus(String code, String label, String badge) {
        this.words = new Words(code, label, badge);
    }

    @Override
    public Words words() {
        return words;
    }

    public static BatchStatus of(String code) {
        return Coded.of(BatchStatus.class, code);
    }
}
