package modprep.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;
import modprep.Json;
import modprep.db.Sha256;

/**
 * A JSON answer made once for a state of the database and then sent as it is: its bytes, the same
 * bytes gzipped (made once, at the first request that accepts gzip, instead of by every request), and
 * an ETag, so that a script asking again with {@code If-None-Match} gets a 304 and no body. The JSON
 * is what {@code ctx.json(value)} gives: the same mapper. Either body is sent as {@link SentBytes}.
 */
final class JsonBody {
    /** Below this, gzip saves less than it costs (about one network packet). */
    private static final int GZIP_FROM_BYTES = 1500;

    private final byte[] plain;
    private final SentBytes sentPlain;
    private final String etag;
    private volatile SentBytes gzipped;

    private JsonBody(byte[] plain) {
        this.plain = plain;
        this.sentPlain = new SentBytes(plain);
        this.etag = "\"" + Sha256.of(plain).substring(0, 32) + "\"";
    }

    static JsonBody of(Object value) {
        try {
            return new JsonBody(Json.MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void send(Context ctx) throws IOException {
        ctx.contentType(ContentType.APPLICATION_JSON);
        ctx.header("ETag", etag);
        ctx.header("Vary", "Accept-Encoding");
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        String accepted = ctx.header("Accept-Encoding");
        if (plain.length >= GZIP_FROM_BYTES && accepted != null && accepted.contains("gzip")) {
            ctx.header("Content-Encoding", "gzip");
            gzipped().send(ctx);
        } else {
            sentPlain.send(ctx);
        }
    }

    /** What keeping it may cost, in bytes, weighed when it is kept: gzipped, it comes to about an eighth. */
    long size() {
        return SentBytes.size(plain.length) + SentBytes.size(plain.length / 8);
    }

    private SentBytes gzipped() {
        var g = gzipped;
        if (g == null) {
            // Two first requests at once may both compress it: harmless, and one of them is kept.
            var out = new ByteArrayOutputStream(plain.length / 8 + 64);
            try (var gzip = new GZIPOutputStream(out)) {
                gzip.write(plain);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            g = new SentBytes(out.toByteArray());
            gzipped = g;
        }
        return g;
    }
}
