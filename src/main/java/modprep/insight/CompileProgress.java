package modprep.insight;

import java.time.Instant;
import java.util.List;

/**
 * How far the run's compiling has got (I1): each store of compilations since the run started (by the
 * compile-ahead or by the groups themselves), oldest first, with the modules it stored (one store saves a
 * whole javac task's). Groups wait for their compilations, so this is what paces them.
 */
public record CompileProgress(Instant runStartedAt, List<Store> stores) {
    /** One store: when, and how many modules' compilations. */
    public record Store(Instant at, int modules) {
    }

    static CompileProgress none(Instant runStartedAt) {
        return new CompileProgress(runStartedAt, List.of());
    }

    public int compiled() {
        return stores.stream().mapToInt(Store::modules).sum();
    }

    /** When the latest compilations were stored, or null before the first. */
    public Instant latest() {
        return stores.isEmpty() ? null : stores.get(stores.size() - 1).at();
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
