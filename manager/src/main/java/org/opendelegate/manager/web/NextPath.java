package org.opendelegate.manager.web;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The page to return to after sign-in ({@code next}), parsed strictly so that it can only name a page of
 * this console. Browsers are lenient where a naive check is not: they treat {@code /\host} and {@code //host}
 * as another host, drop tabs and newlines inside a URL, and read some Unicode characters as slashes. So a
 * value passes only when it, and every percent-decoding of it, is a plain absolute path: it starts with
 * exactly one {@code /}, then only printable ASCII that is legal in a URL path and query, no backslash, no
 * second leading slash, no dot segment, no sign-in page (a loop). Anything else goes home.
 */
final class NextPath {
    /** Where a refused or missing {@code next} goes: the console's home page. */
    static final String HOME = "/setup/delegates";

    /** Longer values are not pages of this console. */
    static final int MAX_LENGTH = 200;

    /** How many rounds of percent-decoding are looked at; a value still encoded after that is refused. */
    private static final int DECODE_ROUNDS = 3;

    /** Printable ASCII allowed in a path and query (RFC 3986 pchar, "/", "?", "#"), besides letters and digits. */
    private static final String ALLOWED = "-._~!$&'()*+,;=:@/?#%";

    private NextPath() {}

    /** {@code next} when it is a local path of this console, otherwise {@link #HOME}. */
    static String orHome(String next) {
        return isLocalPath(next) ? next : HOME;
    }

    static boolean isLocalPath(String next) {
        if (next == null || next.isEmpty() || next.length() > MAX_LENGTH) {
            return false;
        }
        String value = next;
        for (int round = 0; round <= DECODE_ROUNDS; round++) {
            if (!isPlainPath(value)) {
                return false;
            }
            if (value.indexOf('%') < 0) {
                return true;
            }
            value = percentDecode(value);
            if (value == null) {
                return false;
            }
        }
        return false;
    }

    /** One round's check: a single leading slash, allowed characters only, no dot segment, not sign-in. */
    private static boolean isPlainPath(String value) {
        if (!value.startsWith("/") || value.startsWith("//")) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && ALLOWED.indexOf(c) < 0) {
                return false;
            }
        }
        String path = value.split("[?#]", 2)[0];
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        String lower = path.toLowerCase(Locale.ROOT);
        return !(lower.equals("/login") || lower.startsWith("/login/") || lower.startsWith("/logout"));
    }

    /** Decodes {@code %XX} escapes as UTF-8, or null when an escape is malformed or the bytes are not UTF-8. */
    private static String percentDecode(String value) {
        byte[] out = new byte[value.length()];
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                out[n++] = (byte) c;
                continue;
            }
            if (i + 2 >= value.length()) {
                return null;
            }
            int hi = Character.digit(value.charAt(i + 1), 16);
            int lo = Character.digit(value.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[n++] = (byte) (hi * 16 + lo);
            i += 2;
        }
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(out, 0, n)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
