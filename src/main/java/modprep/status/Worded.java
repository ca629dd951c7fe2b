package modprep.status;

/** A value of the vocabulary that the console shows: its code, its words and its badge, from one {@link Words}. */
public interface Worded extends Coded {
    /** A value's code, the words people read, and Bootstrap's badge class (words always go with the colour). */
    record Words(String code, String label, String badge) {
    }

    Words words();

    @Override
    default String code() {
        return words().code();
    }

    default String label() {
        return words().label();
    }

    default String badge() {
        return words().badge();
    }
}
