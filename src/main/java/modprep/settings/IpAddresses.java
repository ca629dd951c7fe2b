package modprep.settings;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** IP address literals and CIDR ranges as settings hold them (host, trusted-proxies): read, never looked up in DNS. */
public final class IpAddresses {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private IpAddresses() {
    }

    /** Addresses and CIDR ranges separated by commas; throws IllegalArgumentException naming the first that is neither. */
    static List<String> readList(String text) {
        var list = new ArrayList<String>();
        for (String part : text.split(",")) {
            String entry = part.strip();
            if (entry.isEmpty()) {
                continue;
            }
            String[] cidr = entry.split("/", -1);
            int bits = cidr[0].contains(":") ? 128 : 32;
            boolean ok = cidr.length <= 2 && isLiteral(cidr[0])
                    && (cidr.length == 1 || cidr[1].matches("\\d{1,3}") && Integer.parseInt(cidr[1]) <= bits);
            if (!ok) {
                throw new IllegalArgumentException("has '" + entry + "', which is not an IP address or CIDR range");
            }
            list.add(entry);
        }
        return List.copyOf(list);
    }

    /** An IPv4 or IPv6 literal (a host name is not: no DNS look-up here). */
    public static boolean isLiteral(String text) {
        var v4 = IPV4.matcher(text);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!text.contains(":") || !text.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(text); // an IPv6 literal: parsed, not looked up
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
