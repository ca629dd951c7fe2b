package modprep.environment;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import modprep.ModprepException;
import modprep.platform.PlatformVersion;
import modprep.status.ModuleStatus;
import modprep.status.PreparationMode;
import modprep.status.RunKind;
import org.jooq.DSLContext;

/**
 * The rules that stop an operation on a module while the preparation needs it: P7 (a module locked by
 * the group in progress) and P8 (a module whose producers are not yet prepared). Each refusal says what
 * was refused, for whom, why, and what to do. What the preparation holds is read through
 * {@link PreparationView}, in the caller's transaction.
 */
public record ModuleGuard(DSLContext tx, PreparationView preparation) {
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

    /** P7: refuses the operation, changing nothing, if any of the modules is locked. */
    public void refuseIfLocked(Operation operation, Collection<String> modules, String actor, OffsetDateTime at) {
        var locks = preparation.locksOf(tx, modules);
        if (locks.isEmpty()) {
            return;
        }
        var lock = locks.values().stream().min(Comparator.comparing(PreparationView.Lock::module)).orElseThrow();
        String others = locks.size() > 1 ? " (and " + (locks.size() - 1) + " more of the modules asked for)" : "";
        throw ModprepException.refused(refusal(operation, lock, actor, at) + others);
    }

    static String refusal(Operation operation, PreparationView.Lock lock, String actor, OffsetDateTime at) {
        if (lock.kind() == RunKind.DEPLOYMENT) {
            // D4: a deployment holds its group's modules as a preparation does.
            return operation.label() + " of module " + lock.module() + " was refused (asked by " + actor + " at "
                    + at.format(TIME) + "): the module is locked by deployment #" + lock.runId() + " (started "
                    + lock.runStartedAt().withOffsetSameInstant(ZoneOffset.UTC).format(TIME) + " by " + lock.runStartedBy()
                    + "), which is deploying the module's group " + lock.groupSeq() + " of " + lock.groupCount()
                    + ". Wait until group " + lock.groupSeq() + " is deployed, or follow its progress on the deployment details page "
                    + "(" + RunKind.DEPLOYMENT.page(lock.runId()) + "). Nothing was changed.";
        }
        String scope = lock.mode() == PreparationMode.SEQUENTIAL
                ? "which locks every module until the whole run ends (sequential preparation). Wait for the run to finish"
                : "which is preparing the module's group " + lock.groupSeq() + " of " + lock.groupCount()
                        + ". Wait until group " + lock.groupSeq() + " is prepared";
        return operation.label() + " of module " + lock.module() + " was refused (asked by " + actor + " at "
                + at.format(TIME) + "): the module is locked by preparation run #" + lock.runId() + " (started "
                + lock.runStartedAt().withOffsetSameInstant(ZoneOffset.UTC).format(TIME) + " by "
                + lock.runStartedBy() + "), " + scope + ", or follow its progress on the preparation details page "
                + "(/preparations/" + lock.runId() + "). Nothing was changed.";
    }

    /**
     * P8: why each producer is not prepared for the version, in the words of its status (the one rule,
     * {@link ModuleStatus#of}): not reached yet, being prepared, failed, blocked, or no run going on.
     */
    public Map<String, String> whyNotPrepared(Collection<String> producers, PlatformVersion version, EnvironmentSnapshot snapshot) {
        var run = preparation.latestRun(tx, version, producers);
        var reasons = new LinkedHashMap<String, String>();
        for (String producer : producers) {
            var module = snapshot.module(producer);
            reasons.put(producer, module == null ? "it no longer exists"
                    : ModuleStatus.of(version.toString(), module.facts(), snapshot.isCurrent(producer), run.inProgress(),
                            run.entries().get(producer)).reason());
        }
        return reasons;
    }

    /**
     * P8, the one readiness rule: the producers a module waits on, those not prepared for the version
     * ({@code current}: prepared or published for it, see Currentness). A module waiting on none may be
     * published, even before its own group is prepared.
     */
    public static java.util.List<String> unprepared(Collection<String> producers, java.util.function.Predicate<String> current) {
        return producers.stream().filter(p -> !current.test(p)).toList();
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
