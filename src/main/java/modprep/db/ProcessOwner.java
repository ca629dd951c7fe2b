package modprep.db;

import java.net.InetAddress;
import java.util.UUID;

/**
 * Who holds a lease on a row: "host:pid:random", so that a holder on this machine whose process is gone
 * (killed, crashed) is known to hold nothing, without waiting for its lease to run out.
 */
public record ProcessOwner(String host, long pid, String name) {

    /** A new owner name for this process (several per process are distinct). */
    public static ProcessOwner forThisProcess() {
        String host = hostName();
        long pid = ProcessHandle.current().pid();
        return new ProcessOwner(host, pid, host + ":" + pid + ":" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A holder on this machine whose process no longer exists; a holder elsewhere is never known gone. */
    public boolean isGone(String holder) {
        String[] parts = holder.split(":");
        if (parts.length < 3 || !parts[0].equals(host)) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(parts[1])).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replace(':', '_');
        } catch (Exception e) {
            return "localhost";
        }
    }
}
