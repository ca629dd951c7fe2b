package modprep.insight;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import modprep.environment.ModuleGuard;
import modprep.status.VersionStatus;

/**
 * I2: when a module or an application can be published on the current version. A module can be
 * published as soon as none of its producers is unprepared (P8, {@link ModuleGuard#unprepared}), even
 * before its own group runs: the group that prepares the last of them tells when, and the run's
 * estimate (I1) how long. An application can be published once none of its modules waits for the
 * version (U7): the last group of its waiting modules tells when.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Publishability(boolean now, Integer afterGroup, Long inMs, Instant at, List<String> waitingOn, String text) {
    /** Producers (or modules) named in a sentence. */
    static final int NAMED = 3;

    static Publishability publishableNow() {
        return new Publishability(true, null, null, null, null, "publishable now");
    }

    /**
     * A module: {@code producers} its producers, {@code statuses} every module's status for the version,
     * {@code lockedUntil} the group until which the run holds it (P7: its own group in progress, or the
     * last group of a sequential run), or null.
     */
    public static Publishability ofModule(Collection<String> producers, Map<String, VersionStatus> statuses, Integer lockedUntil,
                                          Eta eta) {
        var waiting = ModuleGuard.unprepared(producers, p -> statuses.containsKey(p) && statuses.get(p).status().current());
        if (waiting.isEmpty() && lockedUntil == null) {
            return publishableNow();
        }
        return after(waiting, statuses::get, lockedUntil, eta, "waits on");
    }

    /** An application: {@code waiting} its modules still waiting for the version (U7's rule), none when ready. */
    public static Publishability ofApplication(List<String> waiting, Map<String, VersionStatus> statuses, Eta eta) {
        return waiting.isEmpty() ? publishableNow() : after(waiting, statuses::get, null, eta, "needs");
    }

    /** Once every one of them is prepared: the last group of theirs, or never in this run if one cannot be. */
    private static Publishability after(List<String> waiting, Function<String, VersionStatus> status, Integer lockedUntil, Eta eta,
                                        String verb) {
        var stuck = waiting.stream().filter(m -> status.apply(m) == null || !status.apply(m).status().inProgress()).sorted().toList();
        var named = waiting.stream().sorted().limit(NAMED).toList();
        if (!stuck.isEmpty()) {
            var first = stuck.get(0);
            String why = status.apply(first) == null ? "gone" : status.apply(first).label();
            return new Publishability(false, null, null, null, stuck.stream().limit(NAMED).toList(),
                    "not publishable during this run: " + verb + " " + first + " (" + why + ")"
                            + (stuck.size() > 1 ? " and " + (stuck.size() - 1) + " more" : ""));
        }
        int group = Math.max(lockedUntil == null ? 0 : lockedUntil, waiting.stream().mapToInt(m -> status.apply(m).run().group()).max().orElse(0));
        var end = eta == null ? null : eta.group(group);
        if (end == null) {
            return new Publishability(false, group, null, null, named, "publishable after group " + group + " (no estimate yet)");
        }
        long in = Math.max(0, Duration.between(eta.at(), end.endsAt()).toMillis());
        return new Publishability(false, group, in, end.endsAt(), named,
                "publishable in " + Eta.about(in) + " (after group " + group + ")");
    }
}
