package modprep.insight;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * I1: when a running run is expected to end, and each of its groups not done yet. {@code remainingMs} is
 * counted from {@code at}; with no rate learned yet (no group done, in this run or an earlier one, and
 * no import's compiling pace to start a first run from) the estimate is unknown.
 */
public record Eta(long runId, Instant at, Long remainingMs, Instant endsAt, @JsonIgnore EtaModel.Rate rate, List<GroupEta> groups) {

    /** A group not done yet: when it is expected to start and to end. */
    public record GroupEta(int seq, int modules, Instant startsAt, Instant endsAt) {
    }

    static Eta unknown(long runId, Instant at) {
        return new Eta(runId, at, null, null, null, List.of());
    }

    /**
     * The same estimate told at a later moment: its end stays, the time left counts down to it, and the groups done
     * since (before {@code firstNotDone}, null when every group is) are no longer among those not done.
     */
    public Eta asOf(Instant now, Integer firstNotDone) {
        if (!known()) {
            return this;
        }
        var left = groups.stream().filter(g -> firstNotDone != null && g.seq() >= firstNotDone).toList();
        return new Eta(runId, now, Math.max(0, java.time.Duration.between(now, endsAt).toMillis()), endsAt, rate, left);
    }

    @JsonProperty
    public boolean known() {
        return remainingMs != null;
    }

    /** Where the rate comes from, in words. */
    @JsonProperty
    public String basis() {
        if (rate == null) {
            return "no group has been prepared yet in this environment: the estimate comes after the first group";
        }
        return String.format(java.util.Locale.ROOT, "compiling %.1f ms per source file on %s (%s live now), a group %.0f ms on its own while the run "
                        + "compiles and %.0f ms after, measured on %d groups of this run and %s", rate.perFileMs(),
                count(rate.compiledOn()), count(rate.live()), rate.perGroupMs(), rate.perGroupAfterMs(), rate.thisRun(),
                rate.fromImport() ? "on the import's compiling" : rate.earlierRuns() + " of earlier runs");
    }

    /** The nodes live now, which the compiling left is counted on (P14); null while unknown. */
    @JsonProperty
    public Integer nodes() {
        return rate == null ? null : rate.live();
    }

    /**
     * "on 2 nodes" when the compiling is or was spread over more than one node, so the count matters to
     * the estimate; null on one node all along (nothing to say there).
     */
    @JsonProperty
    public String nodesText() {
        return rate == null || !rate.spread() ? null : "on " + count(rate.live());
    }

    /** "about 40 s on 2 nodes", or "about 40 s" on one node all along; null when unknown. */
    @JsonProperty
    public String remainingOnNodes() {
        String text = remainingText();
        return text == null || nodesText() == null ? text : text + " " + nodesText();
    }

    private static String count(double nodes) {
        if (nodes < 0.05) {
            return "no node";
        }
        String n = Math.abs(nodes - Math.rint(nodes)) < 0.05 ? String.valueOf(Math.round(nodes)) : String.format(java.util.Locale.ROOT, "%.1f", nodes);
        return n + (n.equals("1") ? " node" : " nodes");
    }

    /** "about 40 s", "about 3 min", or null when unknown. */
    @JsonProperty
    public String remainingText() {
        return remainingMs == null ? null : about(remainingMs);
    }

    /** The group's end, if it is one not done yet. */
    public GroupEta group(int seq) {
        return groups.stream().filter(g -> g.seq() == seq).findFirst().orElse(null);
    }

    /** A duration in words an administrator reads at a glance. */
    public static String about(long millis) {
        long s = Math.max(1, Math.round(millis / 1000.0));
        if (s < 90) {
            return "about " + s + " s";
        }
        long min = Math.round(s / 60.0);
        return min < 90 ? "about " + min + " min" : String.format(java.util.Locale.ROOT, "about %.1f h", s / 3600.0);
    }
}
