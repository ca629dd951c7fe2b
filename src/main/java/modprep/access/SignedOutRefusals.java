package modprep.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import modprep.db.Database;

/**
 * Refused sign-ins of signed-out visitors, who can send as many as they like: the first
 * {@value #PER_MINUTE} from an address in a minute are written to the audit one by one, the rest only
 * counted here and written as one row once the minute is over. Counted in this process's memory: with
 * several nodes, each writes at most as many per address and minute, and its own summary.
 */
public final class SignedOutRefusals implements AutoCloseable {
    static final int PER_MINUTE = 20;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Addresses followed at once; refusals from further addresses are counted together, under {@value #MANY}. */
    static final int MAX_ADDRESSES = 10_000;
    static final String MANY = "many addresses";
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final Audit audit;
    private final Map<String, Window> windows = new HashMap<>();
    private ScheduledExecutorService flusher;

    /** Refusals from one address in the minute from {@code start}. */
    private static final class Window {
        final Instant start;
        int written;
        int counted;

        Window(Instant start) {
            this.start = start;
        }
    }

    /** A minute's refusals that were counted and not written. */
    record Summary(String address, Instant start, int counted) {
        String detail() {
            return counted + " more refused sign-ins from " + address + " in the minute from " + MINUTE.format(start)
                    + ", counted and not written one by one";
        }
    }

    public SignedOutRefusals(Database database, Clock clock) {
        this.clock = clock;
        this.audit = new Audit(database, clock, this);
    }

    /** Writes the refusal, or counts it; writes the summaries of minutes that are over. */
    void record(Audit.Actor actor, String action, String target, String detail) {
        var now = clock.instant();
        boolean write;
        List<Summary> due;
        synchronized (this) {
            due = takeDue(now, false);
            String address = actor.address() == null ? "" : actor.address();
            if (!windows.containsKey(address) && windows.size() >= MAX_ADDRESSES) {
                address = MANY;
            }
            var window = windows.computeIfAbsent(address, a -> new Window(now));
            write = window.written < PER_MINUTE;
            if (write) {
                window.written++;
            } else {
                window.counted++;
                startFlusher();
            }
        }
        due.forEach(this::write);
        if (write) {
            audit.write(actor, action, target, AuditOutcome.REFUSED, detail);
        }
    }

    /** Writes the summaries of minutes that are over (all of them when {@code all}, at shutdown). */
    void flush(boolean all) {
        List<Summary> due;
        synchronized (this) {
            due = takeDue(clock.instant(), all);
        }
        due.forEach(this::write);
    }

    private List<Summary> takeDue(Instant now, boolean all) {
        var due = new ArrayList<Summary>();
        var ended = windows.entrySet().iterator();
        while (ended.hasNext()) {
            var entry = ended.next();
            var window = entry.getValue();
            if (all || !window.start.plus(WINDOW).isAfter(now)) {
                ended.remove();
                if (window.counted > 0) {
                    due.add(new Summary(entry.getKey(), window.start, window.counted));
                }
            }
        }
        return due;
    }

    private void write(Summary summary) {
        audit.write(new Audit.Actor("(unknown)", summary.address()), "sign-in", null, AuditOutcome.REFUSED, summary.detail());
    }

    /** A summary is written when its minute is over even if nothing more comes from that address. */
    private void startFlusher() {
        if (flusher == null) {
            flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                var thread = new Thread(r, "modprep-audit-summaries");
                thread.setDaemon(true);
                return thread;
            });
            flusher.scheduleWithFixedDelay(() -> {
                try {
                    flush(false);
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(SignedOutRefusals.class).warn("audit summary not written: {}", e.getMessage());
                }
            }, 10, 10, TimeUnit.SECONDS);
        }
    }

    /** Writes what is still only counted, and stops. */
    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = flusher;
            flusher = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
        }
        flush(true);
    }
}
