package modprep.web;

/**
 * A region of a page that {@link Views} rendered: escaped, and ASCII (see {@link AsciiHtmlWriter}). Given
 * to a page's model, it is spliced into the page as it is, not passed through the template engine again.
 */
record Html(String text) {
    /** The text, for a template that shows it with {@code th:utext}. */
    @Override
    public String toString() {
        return text;
    }
}
