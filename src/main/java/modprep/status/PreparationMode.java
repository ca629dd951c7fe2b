package modprep.status;

/** P4: how a run prepares modules (stored in preparation_run.mode); PlatformVersion#preparationMode decides it. */
public enum PreparationMode implements Coded {
    /** Every module locked for the whole run. */
    SEQUENTIAL("sequential"),
    /** Small groups, only the group in progress locked. */
    PROGRESSIVE("progressive");

    private final String code;

    PreparationMode(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static PreparationMode of(String code) {
        return Coded.of(PreparationMode.class, code);
    }
}
