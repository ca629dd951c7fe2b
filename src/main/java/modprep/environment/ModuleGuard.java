package modprep.environment;

import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_MODULE;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import modprep.ModprepException;
import modprep.platform.PlatformVersion;
import org.jooq.DSLContext;

/**
 * The rules that stop an operation on a module while the preparation needs it: P7 (a module locked by
 * the group in progress) and P8 (a module whose producers are not yet prepared). Each refusal says what
 * was refused, for whom, why, and what to do.
 */
public record ModuleGuard(DSLContext dsl) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    /** The operations P7 refuses on a locked module. */
    public enum Operation {
        PUBLISH("Publish"), APPLY_CONFIGURATIONS("Apply configurations"), DELETE("Delete");

        private final String label;

        Operation(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Who holds a module's lock: which run, which group, started when and by whom. */
    public record Lock(String module, long runId, Integer groupSeq, int groupCount, String mode,
                       OffsetDateTime runStartedAt, String runStartedBy) {
    }

    public Map<String, Lock> locksOf(Collection<String> modules) {
        var locks = new HashMap<String, Lock>();
        dsl.select(MODULE.NAME, MODULE_LOCK.RUN_ID, MODULE_LOCK.GROUP_SEQ, PREPARATION_RUN.GROUP_COUNT,
                        PREPARATION_RUN.MODE, PREPARATION_RUN.STARTED_AT, PREPARATION_RUN.STARTED_BY)
                .from(MODULE_LOCK).join(MODULE).on(MODULE.ID.eq(MODULE_LOCK.MODULE_ID))
                .join(PREPARATION_RUN).on(PREPARATION_RUN.ID.eq(MODULE_LOCK.RUN_ID))
                .where(MODULE.NAME.in(modules))
                .forEach(r -> locks.put(r.value1(), new Lock(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                        r.value6(), r.value7())));
        return locks;
    }

    /** P7: refuses the operation, changing nothing, if any of the modules is locked. */
    public void refuseIfLocked(Operation operation, Collection<String> modules, String actor, OffsetDateTime at) {
        var locks = locksOf(modules);
        if (locks.isEmpty()) {
            return;
        }
        var lock = locks.values().stream().sorted(java.util.Comparator.comparing(Lock::module)).findFirst().orElseThrow();
        String others = locks.size() > 1 ? " (and " + (locks.size() - 1) + " more of the modules asked for)" : "";
        throw ModprepException.refused(refusal(operation, lock, actor, at) + others);
    }

    static String refusal(Operation operation, Lock lock, String actor, OffsetDateTime at) {
        String scope = lock.mode().equals("sequential")
                ? "which locks every module until the whole run ends (sequential preparation). Wait for the run to finish"
                : "which is preparing the module's group " + lock.groupSeq() + " of " + lock.groupCount()
                        + ". Wait until group " + lock.groupSeq() + " is prepared";
        return operation.label() + " of module " + lock.module() + " was refused (asked by " + actor + " at "
                + at.format(TIME) + "): the module is locked by preparation run #" + lock.runId() + " (started "
                + lock.runStartedAt().withOffsetSameInstant(java.time.ZoneOffset.UTC).format(TIME) + " by "
                + lock.runStartedBy() + "), " + scope + ", or follow its progress on the preparation details page "
                + "(/preparations/" + lock.runId() + "). Nothing was changed.";
    }

    /**
     * P8: why each producer is not prepared for the version, as far as the runs tell: not reached yet,
     * being prepared, failed, blocked, or no run going on.
     */
    public Map<String, String> whyNotPrepared(Collection<String> producers, PlatformVersion version,
                                              EnvironmentSnapshot snapshot) {
        var latestRun = dsl.select(PREPARATION_RUN.ID, PREPARATION_RUN.STATUS, PREPARATION_RUN.GROUP_COUNT)
                .from(PREPARATION_RUN).where(PREPARATION_RUN.TO_VERSION.eq(version.toString()))
                .orderBy(PREPARATION_RUN.ID.desc()).limit(1).fetchOne();
        record InRun(String status, int group, String blockedBy) {
        }
        var inRun = new HashMap<String, InRun>();
        if (latestRun != null) {
            dsl.select(RUN_MODULE.MODULE_NAME, RUN_MODULE.STATUS, RUN_MODULE.GROUP_SEQ, RUN_MODULE.BLOCKED_BY)
                    .from(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(latestRun.value1()), RUN_MODULE.MODULE_NAME.in(producers))
                    .forEach(r -> inRun.put(r.value1(), new InRun(r.value2(), r.value3(), r.value4())));
        }
        boolean running = latestRun != null && latestRun.value2().equals("running");
        var reasons = new java.util.LinkedHashMap<String, String>();
        for (String producer : producers) {
            var state = snapshot.module(producer);
            var row = inRun.get(producer);
            String reason;
            if (state == null) {
                reason = "it no longer exists";
            } else if (!state.published()) {
                reason = "it was never published";
            } else if (state.publishRequired()) {
                reason = "it must be published again for " + version + " (the upgrade marked every module publish required)";
            } else if (row != null && running && row.status().equals("pending")) {
                reason = "the run has not reached it yet (run #" + latestRun.value1() + ", group " + row.group()
                        + " of " + latestRun.value3() + ")";
            } else if (row != null && running && row.status().equals("preparing")) {
                reason = "it is being prepared now (run #" + latestRun.value1() + ", group " + row.group() + ")";
            } else if (row != null && row.status().equals("failed")) {
                reason = "its preparation failed in run #" + latestRun.value1();
            } else if (row != null && row.status().equals("blocked")) {
                reason = "it is blocked by " + row.blockedBy() + ", which failed in run #" + latestRun.value1();
            } else if (running) {
                reason = "one of its own producers is not prepared for " + version;
            } else {
                reason = "no preparation run is going on";
            }
            reasons.put(producer, reason);
        }
        return reasons;
    }

    /** P8: refuses to publish while producers are not prepared for the version, naming each one and why. */
    public static ModprepException notReady(String module, PlatformVersion version, Map<String, String> reasons) {
        var parts = new ArrayList<String>();
        reasons.forEach((producer, reason) -> parts.add(producer + " (" + reason + ")"));
        return ModprepException.refused("Publish of module " + module + " was refused: it uses "
                + (parts.size() == 1 ? "a module" : parts.size() + " modules") + " not yet prepared for " + version + ": "
                + String.join(", ", parts) + ". Publish " + (parts.size() == 1 ? "that producer" : "those producers")
                + " first, or run Prepare (modprep prepare) and publish " + module + " once they are prepared. Nothing was changed.");
    }
}
