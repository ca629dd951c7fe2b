package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import modprep.readmodel.StatusBoard;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole pages kept for every session (Pages#renderShared): once per stamp and key, and never a very large one. */
class RegionsTest {
    @TempDir
    Path dir;

    @Test
    void a_page_is_rendered_once_per_stamp_and_key_and_one_over_256_kB_each_time() {
        try (var app = TestEnvironment.newModprep()) {
            app.importer().importFolder(new TestEnvironment("11.16.1").module("Core").write(dir.resolve("env")), "test");
            pages(new StatusBoard(app.database()));
        }
    }

    private static void pages(StatusBoard board) {
        var regions = new Regions(board);
        var stamp = board.stamp();
        var renders = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            regions.page(stamp, "small", () -> {
                renders.incrementAndGet();
                return new byte[10 * 1024];
            });
        }
        assertEquals(1, renders.get(), "kept");
        for (int i = 0; i < 3; i++) {
            regions.page(stamp, "large", () -> {
                renders.incrementAndGet();
                return new byte[256 * 1024 + 1];
            });
        }
        assertEquals(4, renders.get(), "a page over 256 kB is not kept: a run's failures can make it megabytes");
    }
}
