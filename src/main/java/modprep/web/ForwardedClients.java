package modprep.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Behind a reverse proxy, the client and whether it came over HTTPS, for everything that reads them
 * (ctx.ip() for the sign-in throttles and the audit, isSecure() for Secure cookies): taken from
 * X-Forwarded-For and X-Forwarded-Proto only when the connection comes from a trusted proxy, else the
 * headers are ignored. X-Forwarded-For is walked from the right, past trusted proxies: the first
 * address not trusted is the client. Its left end is never believed as such: a client writes it.
 */
final class ForwardedClients implements HttpConfiguration.Customizer {
    static final String FOR = "X-Forwarded-For";
    static final String PROTO = "X-Forwarded-Proto";

    private final TrustedProxies trusted;

    ForwardedClients(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        var fields = request.getHeaders();
        if (!fields.contains(FOR) && !fields.contains(PROTO)) {
            return request; // no proxy spoke: nothing to read, not even the setting
        }
        var remote = request.getConnectionMetaData().getRemoteSocketAddress();
        var proxy = remote instanceof InetSocketAddress socket ? socket.getAddress() : null;
        if (proxy == null || !trusted.trusts(proxy)) {
            return request;
        }
        var client = client(proxy, entries(fields.getValuesList(FOR)));
        var protos = entries(fields.getValuesList(PROTO));
        // The nearest proxy's word: a proxy in front of it (or the client) may have written the others.
        boolean https = request.isSecure() || !protos.isEmpty() && protos.get(protos.size() - 1).toLowerCase(Locale.ROOT).equals("https");
        return forwarded(request, new InetSocketAddress(client, 0), https);
    }

    /** From the right: past trusted proxies, up to the first address that is not one, or the last one read. */
    private InetAddress client(InetAddress proxy, List<String> forwardedFor) {
        var client = proxy;
        for (int i = forwardedFor.size() - 1; i >= 0 && trusted.trusts(client); i--) {
            var address = IpRange.address(forwardedFor.get(i));
            if (address == null) {
                break; // not an address ("unknown", garbage): nothing further left is believed
            }
            client = address;
        }
        return client;
    }

    /** The comma-separated values of every line of a header, in order. */
    private static List<String> entries(List<String> lines) {
        var entries = new ArrayList<String>();
        for (String line : lines) {
            for (String entry : line.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip());
                }
            }
        }
        return entries;
    }

    private static Request forwarded(Request request, SocketAddress client, boolean https) {
        var uri = https ? HttpURI.build(request.getHttpURI()).scheme("https").asImmutable() : request.getHttpURI();
        var connection = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
            @Override
            public SocketAddress getRemoteSocketAddress() {
                return client;
            }

            @Override
            public boolean isSecure() {
                return https;
            }
        };
        return new Request.Wrapper(request) {
            @Override
            public ConnectionMetaData getConnectionMetaData() {
                return connection;
            }

            @Override
            public HttpURI getHttpURI() {
                return uri;
            }

            @Override
            public boolean isSecure() {
                return https;
            }
        };
    }
}
