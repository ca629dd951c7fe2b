package modprep.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP address or CIDR range (10.0.0.0/8, ::1), as the trusted-proxies setting lists them, and the
 * reading of an address literal from a header: never a DNS look-up, whatever the text.
 */
record IpRange(byte[] network, int bits) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** Starts with a hex digit or a colon and holds a colon: Java reads it as an IPv6 literal, never as a host name. */
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");

    /** A range as the setting stores it (already checked there); bad input: IllegalArgumentException. */
    static IpRange of(String text) {
        int slash = text.indexOf('/');
        var address = address(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
        }
        int max = address.getAddress().length * 8;
        int bits = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("'" + text + "' has a prefix longer than its address");
        }
        return new IpRange(address.getAddress(), bits);
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < bits; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /**
     * An address as an X-Forwarded-For entry gives it (203.0.113.9, 203.0.113.9:5100, 2001:db8::1,
     * [2001:db8::1]:5100), or null for anything else ("unknown", a host name, garbage).
     */
    static InetAddress address(String text) {
        String t = text.strip();
        if (t.startsWith("[")) {
            int end = t.indexOf(']');
            t = end < 0 ? "" : t.substring(1, end);
        } else if (t.indexOf(':') == t.lastIndexOf(':') && t.indexOf('.') > 0) {
            t = t.indexOf(':') < 0 ? t : t.substring(0, t.indexOf(':')); // an IPv4 address with its port
        }
        var v4 = IPV4.matcher(t);
        try {
            if (v4.matches()) {
                var bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(v4.group(i + 1));
                    if (part > 255) {
                        return null;
                    }
                    bytes[i] = (byte) part;
                }
                return InetAddress.getByAddress(bytes);
            }
            return t.contains(":") && IPV6.matcher(t).matches() ? InetAddress.getByName(t) : null;
        } catch (UnknownHostException notAnAddress) {
            return null;
        }
    }
}
