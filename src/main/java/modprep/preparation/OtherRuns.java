package modprep.preparation;

import java.util.function.BooleanSupplier;

/**
 * Another kind of run that the worker takes on when no preparation run waits (D1: a deployment), claimed
 * and renewed through the same leases, so that it survives its process just as a preparation does (P12).
 */
public interface OtherRuns {
    /** The table its runs and their leases are in. */
    RunTable table();

    /** Works on a claimed run until it ends, or until {@code stopping} says to stop (it is then resumed by whoever claims it next). */
    void work(long runId, Leases leases, BooleanSupplier stopping);
}
