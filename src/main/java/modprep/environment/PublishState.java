package modprep.environment;

import modprep.status.Coded;

/**
 * Whether a module runs code of its own (published) or only has code waiting (uploaded): the
 * {@code state} of module.properties (DESIGN §3), and what a module's page and lists say.
 */
public enum PublishState implements Coded {
    PUBLISHED("published"),
    UPLOADED("uploaded");

    private final String code;

    PublishState(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static PublishState of(boolean published) {
        return published ? PUBLISHED : UPLOADED;
    }

    /** The state a module.properties gives, or null for any other text. */
    public static PublishState parse(String text) {
        for (var state : values()) {
            if (state.code.equals(text)) {
                return state;
            }
        }
        return null;
    }
}
