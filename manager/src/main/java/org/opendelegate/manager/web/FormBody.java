package org.opendelegate.manager.web;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;

/**
 * What a console form may send: an {@code application/x-www-form-urlencoded} body (what browsers and htmx send)
 * whose every name and value is valid UTF-8 without control characters other than tab and line breaks. Checked on
 * the raw bytes before anything reads a field, because the servlet's own decoding turns invalid bytes into
 * replacement characters that would then be stored as if someone had typed them.
 */
final class FormBody {
    private static final String FORM_TYPE = "application/x-www-form-urlencoded";

    private FormBody() {}

    /** Throws a 415 or 400 problem unless a state-changing request's body is a well-formed console form. */
    static void check(Context ctx) {
        if (!Csrf.changesState(ctx)) {
            return;
        }
        String type = ctx.contentType();
        byte[] body = ctx.bodyAsBytes();
        if (type == null ? body.length > 0 : !type.toLowerCase(Locale.ROOT).startsWith(FORM_TYPE)) {
            throw new DomainProblem(
                    ProblemKind.UNSUPPORTED_FORMAT,
                    "Unsupported media type",
                    "UNSUPPORTED_MEDIA_TYPE",
                    "Console forms are sent as `" + FORM_TYPE + "`; this request was sent as `"
                            + (type == null ? "no content type" : type) + "`. Use the form on the page.");
        }
        for (String pair : new String(body, StandardCharsets.ISO_8859_1).split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = text(equals < 0 ? pair : pair.substring(0, equals), "a field name");
            text(equals < 0 ? "" : pair.substring(equals + 1), "`" + name + "`");
        }
    }

    /** The percent-decoded text of one name or value, refused when it is not clean UTF-8 text. */
    private static String text(String encoded, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%' && hex(encoded, i + 1) >= 0) {
                bytes.write(hex(encoded, i + 1));
                i += 2;
            } else if (c == '%') {
                throw refused(what, "has a `%` that does not start an escape like `%2F`");
            } else {
                bytes.write(c);
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw refused(what, "is not valid UTF-8 text");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                throw refused(what, "contains a control character (U+%04X)".formatted((int) c));
            }
        }
        return text;
    }

    /** The byte of the two hex digits at {@code at}, or -1. */
    private static int hex(String s, int at) {
        if (at + 1 >= s.length()) {
            return -1;
        }
        int high = Character.digit(s.charAt(at), 16);
        int low = Character.digit(s.charAt(at + 1), 16);
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    private static DomainProblem refused(String what, String why) {
        return DomainProblem.badRequest(
                "The form's " + what + " " + why + ". Type the value again and resend the form.");
    }
}
