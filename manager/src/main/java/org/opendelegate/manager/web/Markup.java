package org.opendelegate.manager.web;

import java.util.ArrayList;
import java.util.List;

/**
 * The Manager's sentences mark names and values with backticks ("selector `gpu` missing"). The console
 * shows those parts as code: the text is split into segments, and templates escape each one as usual,
 * so nothing in the text can become markup.
 */
public final class Markup {
    /** A run of text; {@code code} for a part that stood between backticks. */
    public record Segment(String text, boolean code) {}

    private Markup() {}

    public static List<Segment> segments(String text) {
        List<Segment> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        String[] parts = text.split("`", -1);
        // An odd number of backticks leaves the last one unmatched: show it as it is.
        boolean balanced = parts.length % 2 == 1;
        for (int i = 0; i < parts.length; i++) {
            boolean code = i % 2 == 1 && (balanced || i < parts.length - 1);
            String part = !code && i % 2 == 1 ? "`" + parts[i] : parts[i];
            if (!part.isEmpty()) {
                out.add(new Segment(part, code));
            }
        }
        return out;
    }
}
