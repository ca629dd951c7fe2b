package modprep.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** What an out-of-memory is found in, and what the operator reads (the process ending: DataFolderFaultsIT). */
class OutOfMemoryTest {
    @Test
    void found_as_the_cause_of_a_cause_or_suppressed_and_not_elsewhere() {
        var heap = new OutOfMemoryError("Java heap space");
        assertSame(heap, OutOfMemory.find(new IllegalStateException("the compiler failed", new RuntimeException(heap))));
        var statement = new SQLException("Out of memory. [90108-240]", heap);
        assertSame(heap, OutOfMemory.find(new org.jooq.exception.DataAccessException("SQL [select 1]", statement)));
        var closing = new RuntimeException("could not close");
        closing.addSuppressed(heap);
        assertSame(heap, OutOfMemory.find(new IllegalStateException(closing)));
        assertNull(OutOfMemory.find(new IllegalStateException("the compiler failed", new StackOverflowError())));
    }

    @Test
    void the_line_says_which_memory_what_is_kept_and_for_the_heap_how_to_give_more() {
        assertEquals("out of memory (Java heap space): the command stops. What was committed is kept, and a run in progress goes on "
                + "with `modprep prepare` or when a server starts. Give it a larger heap than its 128 MB: JAVA_OPTS=-Xmx256m.",
                OutOfMemory.line("Java heap space", 128L << 20, false));
        assertEquals("out of memory (GC overhead limit exceeded): the server stops. What was committed is kept, and a run in "
                + "progress goes on with `modprep prepare` or when a server starts. Give it a larger heap than its 512 MB: "
                + "JAVA_OPTS=-Xmx1024m.", OutOfMemory.line("GC overhead limit exceeded", 512L << 20, true));
        assertEquals("out of memory (Metaspace): the command stops. What was committed is kept, and a run in progress goes on "
                + "with `modprep prepare` or when a server starts.", OutOfMemory.line("Metaspace", 128L << 20, false));
    }
}
