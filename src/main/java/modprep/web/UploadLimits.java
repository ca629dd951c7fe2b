package modprep.web;

import io.javalin.config.MultipartConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * How large an upload (a multipart form) may be: a module's zip of at most 20 MiB, the request a little
 * more for the form's other fields. A request announcing more is refused before its body is read; one
 * that sends more than it announced is cut off by Jetty's multipart parser at the limit.
 */
final class UploadLimits {
    static final int MAX_FILE_MIB = (int) (ModuleArchive.MAX_TOTAL_BYTES / (1024 * 1024));
    static final int MAX_REQUEST_MIB = MAX_FILE_MIB + 1;
    static final String TOO_LARGE = "This upload is larger than " + MAX_FILE_MIB + " MiB, the most a module's archive may be: "
            + "nothing was changed.";

    private UploadLimits() {
    }

    static void configure(MultipartConfig multipart) {
        multipart.maxFileSize(MAX_FILE_MIB, SizeUnit.MB);
        multipart.maxTotalRequestSize(MAX_REQUEST_MIB, SizeUnit.MB);
    }

    static boolean isMultipart(Context ctx) {
        String type = ctx.header("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    /** A multipart request whose Content-Length is over the limit: refused without reading a byte of it. */
    static boolean announcedTooLarge(Context ctx) {
        return isMultipart(ctx) && ctx.req().getContentLengthLong() > (long) MAX_REQUEST_MIB * 1024 * 1024;
    }

    /** A refused upload up to this size is read to its end (and dropped) before the answer, so the client reads it. */
    private static final long DRAINED_AT_MOST = 64L * 1024 * 1024;

    /**
     * Reads and drops a refused upload's body when it is not much over the limit: a client still sending
     * it when the server answers and closes can lose the answer to the connection's reset. A larger one
     * (hundreds of MiB announced) is answered at once and cut off.
     */
    static void drainIfModest(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length <= 0 || length > DRAINED_AT_MOST) {
            return;
        }
        try (var in = ctx.req().getInputStream()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException gone) {
            // the client gave up: nothing to answer it
        }
    }

    /** Whether Jetty's multipart parser stopped at a limit ("max file size exceeded", "max length exceeded"...). */
    static boolean overLimit(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e.getMessage() != null && e.getMessage().startsWith("max ") && e.getMessage().contains("exceeded")) {
                return true;
            }
        }
        return false;
    }
}
