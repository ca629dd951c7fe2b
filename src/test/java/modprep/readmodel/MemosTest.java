package modprep.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemosTest {
    @Test
    void a_null_answer_is_kept_and_computed_once_like_any_other() {
        var memos = new Memos();
        var calls = new AtomicInteger();
        // An ETA asked for while its run's last group ends is null: the live stream once failed on it (NPE).
        assertNull(memos.get("eta", () -> { calls.incrementAndGet(); return null; }));
        assertNull(memos.get("eta", () -> { calls.incrementAndGet(); return "computed again"; }));
        assertEquals(1, calls.get());
        assertEquals("value", memos.get("other", () -> "value"));
        assertEquals("value", memos.get("other", () -> "not this"));
    }
}
