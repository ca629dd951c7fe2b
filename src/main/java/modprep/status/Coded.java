package modprep.status;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A value of the status vocabulary: the code stored in the database and sent in JSON, which never
 * changes once released (data folders keep it), whatever the Java name.
 */
public interface Coded {
    @JsonValue
    String code();

    /** The value of an enum with this code; a code no value has is a bug or a damaged row, said plainly. */
    static <E extends Enum<E> & Coded> E of(Class<E> type, String code) {
        for (E value : type.getEnumConstants()) {
            if (value.code().equals(code)) {
                return value;
            }
        }
        throw new IllegalArgumentException("'" + code + "' is not a " + type.getSimpleName() + " code");
    }
}
