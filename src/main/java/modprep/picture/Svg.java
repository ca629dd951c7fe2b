package modprep.picture;

import java.util.Locale;

/**
 * A small SVG writer: elements with attributes and escaped text, no inline style or script (the
 * console's Content-Security-Policy forbids both: colours come from classes in modprep.css). Every
 * picture is an image with a title and a description, which screen readers announce.
 */
final class Svg {
    private final StringBuilder out = new StringBuilder();

    /** Opens {@code <svg role="img">} with its title and description, named by aria-labelledby. */
    Svg(String id, int width, int height, String title, String description) {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"picture\" role=\"img\" id=\"").append(escape(id))
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" aria-labelledby=\"").append(id).append("-title ").append(id).append("-desc\">")
                .append("<title id=\"").append(id).append("-title\">").append(escape(title)).append("</title>")
                .append("<desc id=\"").append(id).append("-desc\">").append(escape(description)).append("</desc>");
    }

    Svg rect(double x, double y, double w, double h, String css, String data) {
        out.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(Math.max(w, 0)))
                .append("\" height=\"").append(n(h)).append("\" rx=\"3\" class=\"").append(escape(css)).append('"');
        return data(data).append("/>", null);
    }

    Svg line(double x1, double y1, double x2, double y2, String css) {
        out.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" class=\"").append(escape(css)).append("\"/>");
        return this;
    }

    Svg polyline(String points, String css) {
        out.append("<polyline points=\"").append(points).append("\" class=\"").append(escape(css)).append("\"/>");
        return this;
    }

    /** Text at (x, y); anchor is start, middle or end. */
    Svg text(double x, double y, String text, String css, String anchor) {
        out.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
                .append("\" class=\"").append(escape(css)).append("\">").append(escape(text)).append("</text>");
        return this;
    }

    Svg open(String element, String css, String data) {
        out.append('<').append(element).append(" class=\"").append(escape(css)).append('"');
        return data(data).append(">", null);
    }

    Svg close(String element) {
        out.append("</").append(element).append('>');
        return this;
    }

    /** A data-* attribute pair "name=value" that tests and live updates read, or null for none. */
    private Svg data(String data) {
        if (data != null) {
            int eq = data.indexOf('=');
            out.append(" data-").append(data, 0, eq).append("=\"").append(escape(data.substring(eq + 1))).append('"');
        }
        return this;
    }

    private Svg append(String raw, Object ignored) {
        out.append(raw);
        return this;
    }

    String end() {
        return out.append("</svg>").toString();
    }

    /** Cut to {@code max} characters with an ellipsis: the full text is in the table beside the picture. */
    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String n(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
