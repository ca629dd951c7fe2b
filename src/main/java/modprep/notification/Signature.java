package modprep.notification;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** How a receiver knows an event came from modprep: HMAC-SHA256 of the body under the hook's secret, in hex. */
public final class Signature {
    /** The request header that carries it, as {@code sha256=HEX}. */
    public static final String HEADER = "X-Modprep-Signature-256";
    /** The request header that carries the event's idempotency key, the same on every attempt. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    /** The request header that carries the event's type. */
    public static final String EVENT_HEADER = "X-Modprep-Event";

    private Signature() {
    }

    public static String of(String secret, byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
