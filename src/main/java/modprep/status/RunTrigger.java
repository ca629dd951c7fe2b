package modprep.status;

/** What started a run (stored in preparation_run.trigger_kind): an upgrade (P1) or Prepare (P11). */
public enum RunTrigger implements Coded {
    UPGRADE("upgrade"),
    PREPARE("prepare");

    private final String code;

    RunTrigger(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static RunTrigger of(String code) {
        return Coded.of(RunTrigger.class, code);
    }
}
