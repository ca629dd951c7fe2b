package modprep.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

/**
 * A response body made once and sent as it is, in one piece with its length ({@code ctx.result} would
 * copy it in 32 kB pieces into a chunked response). From its second sending on, a large one goes from
 * a copy outside the heap: the JDK copies a heap array into such a buffer for every socket write, 2.5 MB
 * a request for a 10,000-module run's JSON (bench/RESULTS.md). A body sent once, as a running run's
 * JSON, is not copied. A client that hangs up is an {@link IOException}, which Javalin logs as such.
 */
final class SentBytes {
    /** Below this, the copy a write makes costs less than keeping a second one (a run's gzipped JSON stays below). */
    static final int DIRECT_FROM_BYTES = 1024 * 1024;

    private final byte[] bytes;
    private volatile boolean sent;
    private volatile ByteBuffer direct;

    SentBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** What keeping it costs, in bytes: a large one counts its copy, made once it is sent again. */
    static long size(int length) {
        return length >= DIRECT_FROM_BYTES ? 2L * length : length;
    }

    /** Whether it has its copy outside the heap. */
    boolean copied() {
        return direct != null;
    }

    void send(Context ctx) throws IOException {
        ctx.res().setContentLength(bytes.length);
        var out = ctx.res().getOutputStream();
        if (bytes.length >= DIRECT_FROM_BYTES && sent && out instanceof HttpOutput jetty) {
            jetty.sendContent(direct().asReadOnlyBuffer());
        } else {
            sent = true;
            out.write(bytes);
        }
    }

    private ByteBuffer direct() {
        var d = direct;
        if (d == null) {
            // Two second sendings at once may both copy it: harmless, and one copy is kept.
            d = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            direct = d;
        }
        return d;
    }
}
