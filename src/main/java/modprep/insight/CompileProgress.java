package modprep.insight;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How far the run's compiling has got (I1): each store of compilations since the run started (by the
 * compile-ahead or by the groups themselves), oldest first, with the modules it stored (one store saves a
 * whole javac task's). Groups wait for their compilations, so this is what paces them. {@code resumedAt}:
 * where a worker took the run up again after a kill or a stop (the start of the group it resumed at): what the
 * worker it followed compiled after its last store was lost with it. {@code compiledAheadAt}: when the run's compile-ahead
 * had compiled every module it could (null: not yet, or a run before V25).
 */
public record CompileProgress(Instant runStartedAt, List<Store> stores, List<Instant> resumedAt, Instant compiledAheadAt) {
    /** One store: when, and how many modules' compilations. */
    public record Store(Instant at, int modules) {
    }

    public CompileProgress(Instant runStartedAt, List<Store> stores) {
        this(runStartedAt, stores, List.of(), null);
    }

    /**
     * When the run's compiling ended: its compile-ahead's end (or its latest store, if later), or, for a run that
     * does not tell it, its latest store once every one of its {@code modules} was stored; null while it compiles.
     * Between two stores the compiling goes on: a group that starts there still shares the machine with it.
     */
    Instant compilingEnded(int modules) {
        if (compiledAheadAt != null) {
            return latest() != null && latest().isAfter(compiledAheadAt) ? latest() : compiledAheadAt;
        }
        return compiled() >= modules ? latest() : null;
    }

    static CompileProgress none(Instant runStartedAt) {
        return new CompileProgress(runStartedAt, List.of());
    }

    /**
     * The compiling's time from one moment to a later one: all of it but, at each resume between them, the time
     * since the store before it or the resume before it, whichever is later (at the earliest {@code from}): the run
     * was left (killed, stopped), and what its worker compiled after that store was lost with it.
     */
    long millis(Instant from, Instant to) {
        long ms = Duration.between(from, to).toMillis();
        Instant previous = from;
        for (var resume : resumedAt) {
            if (resume.isAfter(from) && !resume.isAfter(to)) {
                Instant before = previous;
                for (var store : stores) {
                    if (store.at().isAfter(resume)) {
                        break;
                    }
                    before = store.at().isAfter(before) ? store.at() : before;
                }
                ms -= Math.max(0, Duration.between(before, resume).toMillis());
                previous = resume.isAfter(previous) ? resume : previous;
            }
        }
        return Math.max(0, ms);
    }

    public int compiled() {
        return stores.stream().mapToInt(Store::modules).sum();
    }

    /** When the latest compilations were stored, or null before the first. */
    public Instant latest() {
        return stores.isEmpty() ? null : stores.get(stores.size() - 1).at();
    }

    /**
     * The run's latest resume when nothing was stored since: the compiling started again there from where it
     * stood at the latest store (its worker's compiler starting up), so the groups since waited for it. Else null.
     */
    Instant restartedAt() {
        if (resumedAt.isEmpty()) {
            return null;
        }
        Instant resume = resumedAt.get(resumedAt.size() - 1);
        return latest() == null || latest().isBefore(resume) ? resume : null;
    }

    /** Whether compilations were stored more than once, so that their pace shows apart from the compiler's start. */
    boolean paced() {
        return stores.size() > 1 && stores.get(0).at().isBefore(latest());
    }

    /**
     * The store from which the newest {@code share} of the modules compiled were stored: the latest one by
     * which at most the rest were (the first store at the earliest). With 1, the first store.
     */
    Store since(double share) {
        double older = compiled() * (1 - share);
        int sum = 0;
        Store from = stores.get(0);
        for (var store : stores) {
            sum += store.modules();
            if (sum > older) {
                break;
            }
            from = store;
        }
        return from;
    }

    /** How many modules were stored up to and with this store. */
    int compiledBy(Store store) {
        return stores.subList(0, stores.indexOf(store) + 1).stream().mapToInt(Store::modules).sum();
    }
}
