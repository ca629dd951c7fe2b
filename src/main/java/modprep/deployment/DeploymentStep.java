package modprep.deployment;

import java.util.List;

/** D8: the actions every deployment group goes through, in order, each timed. */
public enum DeploymentStep {
    LOCK_MODULES("lock modules"),
    CHECK("check"),
    DEPLOY("deploy"),
    UNLOCK("unlock");

    public static final List<DeploymentStep> ORDER = List.of(values());

    private final String label;

    DeploymentStep(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public int ordinal1() {
        return ordinal() + 1;
    }
}
