package modprep.status;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A module's status within a deployment (stored in deployment_module.status), with the one table of moves
 * it may make: planned (pending), in the group in progress (deploying), then deployed, failed (a check
 * before deploying refused it, D5), blocked (a producer failed) or skipped (not deployable, D3).
 */
public enum DeployStatus implements Worded {
    PENDING("pending", "in group", "text-bg-secondary"),
    DEPLOYING("deploying", "deploying", "text-bg-info"),
    DEPLOYED("deployed", "deployed", "text-bg-success"),
    FAILED("failed", "failed", "text-bg-danger"),
    BLOCKED("blocked", "blocked by", "text-bg-warning"),
    SKIPPED("skipped", "skipped", "text-bg-light border");

    private static final Map<DeployStatus, Set<DeployStatus>> ALLOWED = Map.of(
            PENDING, EnumSet.of(DEPLOYING, BLOCKED),
            // A group redone after a crash finds its modules still deploying.
            DEPLOYING, EnumSet.of(DEPLOYING, DEPLOYED, FAILED, BLOCKED, SKIPPED),
            DEPLOYED, EnumSet.noneOf(DeployStatus.class),
            FAILED, EnumSet.noneOf(DeployStatus.class),
            BLOCKED, EnumSet.noneOf(DeployStatus.class),
            SKIPPED, EnumSet.noneOf(DeployStatus.class));

    private final Words words;

    DeployStatus(String code, String label, String badge) {
        this.words = new Words(code, label, badge);
    }

    @Override
    public Words words() {
        return words;
    }

    public boolean canMoveTo(DeployStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Still to be worked on by the deployment. */
    public boolean inProgress() {
        return this == PENDING || this == DEPLOYING;
    }

    /** A module it did not deploy, to be listed with why (D3). */
    public boolean notDeployed() {
        return this == FAILED || this == BLOCKED || this == SKIPPED;
    }

    public static DeployStatus of(String code) {
        return Coded.of(DeployStatus.class, code);
    }
}
