package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.unbescape.html.HtmlEscape;

class AsciiHtmlWriterTest {
    @Test
    void charactersBeyondAsciiBecomeReferencesThatReadBackTheSame() {
        var writer = new AsciiHtmlWriter(16);
        String text = "<p title=\"Café — ✓\">11.16.1 → 11.17.0 · 😀</p>";
        writer.write(text);
        assertEquals("<p title=\"Caf&#233; &#8212; &#10003;\">11.16.1 &#8594; 11.17.0 &#183; &#128512;</p>", writer.toString());
        assertEquals(text, HtmlEscape.unescapeHtml(writer.toString()));
    }

    @Test
    void aCharacterSplitBetweenTwoWritesIsOneReference() {
        var writer = new AsciiHtmlWriter(16);
        String smile = "😀";
        writer.write("a" + smile.charAt(0));
        writer.write(new char[] {smile.charAt(1), 'b'}, 0, 2);
        writer.write('-');
        writer.write('é');
        assertEquals("a&#128512;b-&#233;", writer.toString());
    }

    @Test
    void asciiIsWrittenAsItIs() {
        var writer = new AsciiHtmlWriter(4);
        writer.write("plain <b>ASCII</b> &amp; more", 6, 12);
        assertEquals("<b>ASCII</b>", writer.toString());
    }
}
