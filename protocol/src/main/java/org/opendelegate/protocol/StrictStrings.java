package org.opendelegate.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;

/**
 * Reads a JSON string only when it is text the store and the console can hold: no NUL or other control
 * character except tab, newline, carriage return and ESC (the start of the ANSI colour sequences scripts print,
 * which a task's log keeps and the console renders; names refuse it with every other control character, in
 * their own rules), and no lone surrogate (JSON's {@code \\uD800} escape
 * can name half a character, which no UTF-8 column can store). Anything else is refused with the field's
 * path, not silently cleaned.
 */
final class StrictStrings extends StdScalarDeserializer<String> {
    private static final long serialVersionUID = 1L;
    private static final char ESC = 0x1b;

    StrictStrings() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String value = StringDeserializer.instance.deserialize(p, ctxt);
        String problem = value == null ? null : problem(value);
        if (problem != null) {
            throw JsonMappingException.from(p, problem);
        }
        return value;
    }

    /** What is wrong with {@code value} as stored text, or null when nothing is. */
    static String problem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != ESC) || c == 0x7f) {
                return "contains the control character U+" + String.format("%04X", (int) c) + " at position " + i
                        + "; remove it";
            }
            boolean loneHigh = Character.isHighSurrogate(c)
                    && (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1)));
            boolean loneLow =
                    Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)));
            if (loneHigh || loneLow) {
                return "contains half of a character (a lone surrogate) at position " + i + "; send valid Unicode";
            }
        }
        return null;
    }
}
