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
 * is what {@code ctx.json(value)} gives: the same mapper.
 */
final class JsonBody {
    /** Below this, gzip saves less than it costs (about one network packet). */
    private static final int GZIP_FROM_BYTES = 1500;

    private final byte[] plain;
    private final String etag;
    private volatile byte[] gzipped;

    private JsonBody(byte[] plain) {
        this.plain = plain;
        this.etag = "\"" + Sha256.of(plain).substring(0, 32) + "\"";
    }

    static JsonBody of(Object value) {
        try {
            return new JsonBody(Json.MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void send(Context ctx) {
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
            write(ctx, gzipped());
        } else {
            write(ctx, plain);
        }
    }

    /**
     * The bytes in one write with their length, straight to the response: {@code ctx.result} would copy
     * them in 32 kB pieces through a chunked response.
     */
    private static void write(Context ctx, byte[] bytes) {
        try {
            ctx.res().setContentLength(bytes.length);
            ctx.res().getOutputStream().write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What keeping it costs, in bytes. */
    long size() {
        byte[] g = gzipped;
        return plain.length + (g == null ? plain.length / 8 : g.length);
    }

    private byte[] gzipped() {
        byte[] g = gzipped;
        if (g == null) {
            // Two first requests at once may both compress it: harmless, and one of them is kept.
            var out = new ByteArrayOutputStream(plain.length / 8 + 64);
            try (var gzip = new GZIPOutputStream(out)) {
                gzip.write(plain);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            g = out.toByteArray();
            gzipped = g;
        }
        return g;
    }
}
