package modprep.web;

import java.time.Duration;
import java.time.Instant;
import modprep.platform.PlatformVersion;
import modprep.readmodel.RunView;

/**
 * The banner on every screen (U1, U5): blue while a run is in progress, green when it succeeded, red
 * when it finished with errors, and a separate red when it could not go on at all.
 */
record Banner(String state, RunView run, String detailsLabel) {
    /** How long the green "succeeded" banner stays after a run. */
    static final Duration SUCCESS_SHOWN_FOR = Duration.ofHours(24);

    static Banner of(RunView run) {
        if (run == null) {
            return new Banner("none", null, null);
        }
        var version = PlatformVersion.parseOrNull(run.toVersion());
        // U1: up to 11.16.1 the link reads "Click here for more details".
        String label = version.isAfter(new PlatformVersion(11, 16, 1)) ? "current preparation details" : "Click here for more details";
        String state;
        if (run.running()) {
            state = "running";
        } else if (run.internalError() != null) {
            state = "error";
        } else if (!run.succeeded()) {
            state = "failed";
        } else if (run.finishedAt() != null && run.finishedAt().isAfter(Instant.now().minus(SUCCESS_SHOWN_FOR))) {
            state = "succeeded";
        } else {
            state = "none";
        }
        return new Banner(state, run, label);
    }

    public boolean visible() {
        return !state.equals("none");
    }
}
