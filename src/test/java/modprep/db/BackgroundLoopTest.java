package modprep.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A loop stops after its step in progress; one whose step outlasts the wait is told apart (and logged). */
class BackgroundLoopTest {

    @Test
    void close_waits_for_the_step_in_progress_and_says_whether_it_ended() throws Exception {
        var inStep = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var holder = new BackgroundLoop[1];
        holder[0] = new BackgroundLoop("test-loop", true, () -> {
            while (!holder[0].stopping()) {
                inStep.countDown();
                try {
                    release.await(); // a step that ignores the stop until it ends
                } catch (InterruptedException e) {
                    return;
                }
                holder[0].pause(10);
            }
        });
        var loop = holder[0];
        loop.start();
        assertTrue(inStep.await(10, TimeUnit.SECONDS));

        assertFalse(loop.close(50), "the step outlasted the wait");
        release.countDown();
        assertTrue(loop.close(10_000), "the step ended, and the loop with it");
    }

    @Test
    void a_loop_never_started_closes_at_once() {
        assertTrue(new BackgroundLoop("never-started", true, () -> { }).close(10_000));
    }
}
