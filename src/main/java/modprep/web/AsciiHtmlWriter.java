package modprep.web;

import java.io.Writer;

/**
 * Collects a rendered page with every character beyond ASCII written as a numeric character reference
 * ({@code —} as {@code &#8212;}), which a browser reads back as the same character in text and attribute
 * values (the console has no inline script or style, where it would not). A page of ASCII is stored one
 * byte a character and sent without encoding: one dash in a page made Java keep the whole page two bytes
 * a character and encode it to UTF-8 character by character, a third of a run page's time (JFR).
 */
final class AsciiHtmlWriter extends Writer {
    private final StringBuilder page;
    /** The first half of a character beyond the 16-bit range, when a write ended between its halves. */
    private char high;

    AsciiHtmlWriter(int capacity) {
        page = new StringBuilder(capacity);
    }

    @Override
    public void write(String text, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                page.append(text, start, i);
                reference(c);
                start = i + 1;
            }
        }
        page.append(text, start, end);
    }

    @Override
    public void write(String text) {
        write(text, 0, text.length());
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c >= 0x80) {
                page.append(chars, start, i - start);
                reference(c);
                start = i + 1;
            }
        }
        page.append(chars, start, end - start);
    }

    @Override
    public void write(int c) {
        if (c >= 0x80) {
            reference((char) c);
        } else {
            page.append((char) c);
        }
    }

    private void reference(char c) {
        if (Character.isHighSurrogate(c)) {
            high = c;
            return;
        }
        int codePoint = Character.isLowSurrogate(c) && high != 0 ? Character.toCodePoint(high, c) : c;
        high = 0;
        page.append("&#").append(codePoint).append(';');
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return page.toString();
    }
}
