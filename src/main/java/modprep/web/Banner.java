package modprep.web;

import java.time.Duration;
import java.time.Instant;
import modprep.insight.Eta;
import modprep.insight.FixFirst;
import modprep.platform.PlatformVersion;
import modprep.status.Coded;
import modprep.readmodel.RunView;

/**
 * The banner on every screen (U1, U5): blue while a run is in progress, green when it succeeded, red
 * when it finished with errors, and a separate red when it could not go on at all. While a run is in
 * progress it tells when the run is expected to end (I1); after failures, which one to fix first (I3).
 */
record Banner(State state, RunView run, String detailsLabel, Eta eta, FixFirst.Blocker fixFirst) {
    /** What the banner says: nothing, a run in progress, a success, failures, or an internal error (U5). */
    enum State implements Coded {
        NONE("none"), RUNNING("running"), SUCCEEDED("succeeded"), FAILED("failed"), ERROR("error");

        private final String code;

        State(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }
    }

    /** How long the green "succeeded" banner stays after a run. */
    static final Duration SUCCESS_SHOWN_FOR = Duration.ofHours(24);

    static Banner of(RunView run, Eta eta, FixFirst.Blocker fixFirst) {
        if (run == null) {
            return new Banner(State.NONE, null, null, null, null);
        }
        var version = PlatformVersion.parseOrNull(run.toVersion());
        // U1: up to 11.16.1 the link reads "Click here for more details".
        String label = version.isAfter(new PlatformVersion(11, 16, 1)) ? "current preparation details" : "Click here for more details";
        State state;
        if (run.running()) {
            state = State.RUNNING;
        } else if (run.internalError() != null) {
            state = State.ERROR;
        } else if (!run.succeeded()) {
            state = State.FAILED;
        } else if (run.finishedAt() != null && run.finishedAt().isAfter(Instant.now().minus(SUCCESS_SHOWN_FOR))) {
            state = State.SUCCEEDED;
        } else {
            state = State.NONE;
        }
        return new Banner(state, run, label, state == State.RUNNING ? eta : null, state == State.FAILED ? fixFirst : null);
    }

    public boolean visible() {
        return state != State.NONE;
    }

    public boolean running() {
        return state == State.RUNNING;
    }

    public boolean succeeded() {
        return state == State.SUCCEEDED;
    }

    public boolean failed() {
        return state == State.FAILED;
    }

    public boolean error() {
        return state == State.ERROR;
    }
}
