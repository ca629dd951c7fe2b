package modprep.notification;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import modprep.ModprepException;

/**
 * Where a webhook may point. An http(s) URL whose host resolves only to public addresses: loopback,
 * link-local (169.254/16, where clouds serve their metadata; fe80::/10), private, unique-local,
 * shared (100.64/10), unspecified and multicast addresses are refused, checking every address the
 * host resolves to, unless the installation allows private addresses (a receiver inside the network).
 */
public final class WebhookUrls {
    static final int MAX_LENGTH = 2000;

    /** Asked at each check: the installation setting webhooks-to-private-addresses, as it is now. */
    private final java.util.function.BooleanSupplier allowPrivateAddresses;

    public WebhookUrls(java.util.function.BooleanSupplier allowPrivateAddresses) {
        this.allowPrivateAddresses = allowPrivateAddresses;
    }

    /** The URL, checked now (when configured) and again before each delivery (its host may resolve elsewhere by then). */
    public URI check(String url) {
        if (url == null || url.isBlank()) {
            throw ModprepException.badInput("the webhook URL is empty");
        }
        String trimmed = url.strip();
        if (trimmed.length() > MAX_LENGTH) {
            throw ModprepException.badInput("the webhook URL is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw ModprepException.badInput("'" + shorten(trimmed) + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ModprepException.badInput("'" + shorten(trimmed) + "' is not an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw ModprepException.badInput("'" + shorten(trimmed) + "' names no host");
        }
        if (uri.getUserInfo() != null) {
            throw ModprepException.badInput("'" + shorten(trimmed) + "' holds a user name or password: the secret signs the events instead");
        }
        if (!allowPrivateAddresses.getAsBoolean()) {
            refusePrivate(uri.getHost());
        }
        return uri;
    }

    private static void refusePrivate(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw ModprepException.badInput("the webhook's host " + shorten(host) + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String kind = privateKind(address);
            if (kind != null) {
                throw ModprepException.refused("the webhook's host " + shorten(host) + " resolves to " + address.getHostAddress()
                        + ", a " + kind + " address: modprep does not send events inside its own network unless the "
                        + "installation allows private addresses");
            }
        }
    }

    /** What kind of non-public address this is, or null for a public one. */
    static String privateKind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "unspecified";
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "shared (carrier-grade NAT)";
            }
        } else if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "private (unique-local)";
            }
            if (isMappedIpv4(b)) {
                try {
                    return privateKind(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return "unknown";
                }
            }
        }
        return null;
    }

    /** ::ffff:a.b.c.d, an IPv4 address written as IPv6. */
    private static boolean isMappedIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static String shorten(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
