package modprep.preparation;

import modprep.status.Coded;

/** What a process sharing the database is (stored in worker_process.kind): a CLI leaves new runs to a live server. */
public enum WorkerKind implements Coded {
    SERVER("server"),
    CLI("cli");

    private final String code;

    WorkerKind(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
