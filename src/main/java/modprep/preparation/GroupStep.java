package modprep.preparation;

import java.util.List;

/** P13: the actions every group goes through, in order. */
public enum GroupStep {
    LOCK_MODULES("lock modules"),
    UPDATE_REFERENCES("update references"),
    COMPILE("compile"),
    SAVE_COMPILATIONS("save compilations"),
    UNLOCK("unlock");

    public static final List<GroupStep> ORDER = List.of(values());

    private final String label;

    GroupStep(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public int ordinal1() {
        return ordinal() + 1;
    }
}
