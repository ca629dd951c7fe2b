package modprep.db;

import java.net.InetAddress;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who holds a lease on a row, with the host and process it runs in. A {@code serve} process holds its
 * leases by its node name, so that the node, restarted, takes its own runs back at once; a command that
 * works (e.g. {@code upgrade --follow}) holds them as "node/cli-pid". The host and pid let a holder on
 * this machine whose process is gone (killed, crashed) be known to hold nothing without waiting for its
 * lease to run out; a holder on another host is freed only by its lease expiring.
 */
public record ProcessOwner(String host, long pid, String name) {
    /** How many holders of each name this process made: the second and later get "-2", "-3"… (tests run several). */
    private static final ConcurrentHashMap<String, AtomicInteger> MADE = new ConcurrentHashMap<>();

    /** A new owner name for this process, "host:pid:random" (webhook deliveries; several per process are distinct). */
    public static ProcessOwner forThisProcess() {
        String host = hostName();
        long pid = ProcessHandle.current().pid();
        return new ProcessOwner(host, pid, host + ":" + pid + ":" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The {@code serve} process of the node of this name: it holds by the name itself. */
    public static ProcessOwner node(String nodeName) {
        return new ProcessOwner(hostName(), ProcessHandle.current().pid(), nodeName);
    }

    /**
     * A process of the node that is not its server ({@code kind} "cli"), or a worker not given a node name
     * (tests): "node/kind-pid", unique on the node.
     */
    public static ProcessOwner process(String nodeName, String kind) {
        long pid = ProcessHandle.current().pid();
        String base = (nodeName == null ? hostName() : nodeName) + "/" + kind + "-" + pid;
        int made = MADE.computeIfAbsent(base, b -> new AtomicInteger()).incrementAndGet();
        return new ProcessOwner(hostName(), pid, made == 1 ? base : base + "-" + made);
    }

    /** A holder of the old form "host:pid:random" on this machine whose process no longer exists; any other is never known gone here. */
    public boolean isGone(String holder) {
        String[] parts = holder.split(":");
        if (parts.length < 3 || !parts[0].equals(host)) {
            return false;
        }
        try {
            return isGone(parts[0], Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether a process on that host and pid, as its heartbeat row says, is known to be gone: only on this machine. */
    public boolean isGone(String holderHost, long holderPid) {
        return isGone(holderHost, holderPid, host, pid);
    }

    /**
     * {@link #isGone(String, long)} as seen from this process: a heartbeat row still fresh may be a process
     * killed on this machine a moment ago, which compiles nothing any more.
     */
    public static boolean goneFromHere(String holderHost, long holderPid) {
        return isGone(holderHost, holderPid, Here.HOST, Here.PID);
    }

    private static boolean isGone(String holderHost, long holderPid, String host, long pid) {
        return holderHost.equals(host) && holderPid != pid && ProcessHandle.of(holderPid).map(p -> !p.isAlive()).orElse(true);
    }

    /** This machine's name and this process's pid, found once. */
    private static final class Here {
        static final String HOST = hostName();
        static final long PID = ProcessHandle.current().pid();
    }

    /** This machine's name, as heartbeat rows record it. */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replace(':', '_');
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** The modprep release this process runs (the jar's build.properties), for the Nodes page. */
    public static String modprepVersion() {
        try (var in = ProcessOwner.class.getResourceAsStream("/build.properties")) {
            var properties = new java.util.Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("modprep.version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
