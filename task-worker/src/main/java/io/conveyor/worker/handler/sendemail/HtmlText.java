package io.conveyor.worker.handler.sendemail;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain-text rendering of HTML, for the text part of an email that has only HTML: deliberately simple. Scripts,
 * styles, the head and comments are dropped; a line break, list item, table row or div ends a line; a paragraph,
 * heading, list or table is set apart by an empty line; a link keeps its address after its label ({@code label
 * (https://…)}); every other tag is removed; the common entities and numeric references are decoded; runs of blanks
 * become one space and line breaks in the source are blanks, as a browser sees them. Not a layout engine: give {@code
 * text} (or a template's {@code .txt}) when the text part matters.
 */
final class HtmlText {

    private static final Pattern DROPPED =
            Pattern.compile("(?is)<!--.*?-->|<(script|style|head|title)\\b[^>]*>.*?</\\1\\s*>");
    private static final Pattern LINK =
            Pattern.compile("(?is)<a\\b[^>]*?\\bhref\\s*=\\s*(\"([^\"]*)\"|'([^']*)')[^>]*>(.*?)</a\\s*>");
    private static final Pattern PARAGRAPH = Pattern.compile("(?i)</?(p|h[1-6]|ul|ol|table|blockquote|pre)\\b[^>]*>");
    private static final Pattern LINE_BREAK =
            Pattern.compile("(?i)<br\\b[^>]*>|</?(div|li|tr|section|article|header|footer)\\b[^>]*>");
    /** A line of its own that stands for an empty line between paragraphs. */
    private static final String PARAGRAPH_MARK = "\n\u0001\n";

    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);");
    private static final Map<String, String> NAMED = Map.of(
            "amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "nbsp", " ", "mdash", "—", "ndash", "–");

    private HtmlText() {}

    static String of(String html) {
        String text = DROPPED.matcher(html).replaceAll("");
        text = LINK.matcher(text).replaceAll(link -> {
            String href = link.group(2) != null ? link.group(2) : link.group(3);
            String label = link.group(4);
            String plainLabel = TAG.matcher(label).replaceAll("").strip();
            return Matcher.quoteReplacement(
                    plainLabel.isEmpty() || plainLabel.equals(href) ? href : label + " (" + href + ")");
        });
        text = PARAGRAPH.matcher(text).replaceAll(PARAGRAPH_MARK);
        text = LINE_BREAK.matcher(text).replaceAll("\n");
        text = TAG.matcher(text).replaceAll("");
        text = decode(text);
        StringBuilder out = new StringBuilder();
        boolean paragraph = false;
        for (String line : text.split("\n", -1)) {
            String collapsed = line.replaceAll("[ \\t\\r\\f\\u00A0]+", " ").strip();
            if (collapsed.equals("\u0001")) {
                paragraph = true;
                continue;
            }
            if (collapsed.isEmpty()) {
                // Line breaks in the HTML source are blanks, as a browser sees them.
                continue;
            }
            if (!out.isEmpty()) {
                out.append(paragraph ? "\n\n" : "\n");
            }
            out.append(collapsed);
            paragraph = false;
        }
        return out.toString();
    }

    private static String decode(String text) {
        return ENTITY.matcher(text).replaceAll(entity -> {
            String name = entity.group(1);
            String decoded;
            if (name.startsWith("#x") || name.startsWith("#X")) {
                decoded = codePoint(Integer.parseInt(name.substring(2), 16));
            } else if (name.startsWith("#")) {
                decoded = codePoint(Integer.parseInt(name.substring(1)));
            } else {
                decoded = NAMED.get(name.toLowerCase());
            }
            return Matcher.quoteReplacement(decoded != null ? decoded : entity.group());
        });
    }

    private static String codePoint(int value) {
        return Character.isValidCodePoint(value) && value != 0 ? Character.toString(value) : "\uFFFD";
    }
}
