package org.opendelegate.delegate.script;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces secret values with {@code ***} in whatever leaves the delegate: log lines, error messages,
 * outputs. Besides each value it masks the forms a script is likely to print it in: base64 (with and
 * without padding, and of the value with the newline {@code echo} adds), URL-encoded (with {@code +} and
 * {@code %20} for spaces), JSON-escaped, and each line of a multi-line value. Values shorter than
 * {@value #MIN_LENGTH} characters are not masked: masking "a" or "1" would garble every line and protect
 * nothing, so the task log says which ones once. Masks whole lines; a value split across two writes is
 * masked because lines are assembled before they are masked.
 */
final class SecretMasker {
    static final int MIN_LENGTH = 4;
    static final String MASK = "***";

    private final List<String> forms;
    private final List<String> tooShort;

    /** @param secrets environment variable name → value */
    SecretMasker(Map<String, String> secrets) {
        Set<String> all = new LinkedHashSet<>();
        List<String> shortNames = new ArrayList<>();
        secrets.forEach((name, value) -> {
            if (value == null || value.isEmpty()) {
                return;
            }
            if (value.length() < MIN_LENGTH) {
                shortNames.add(name);
                return;
            }
            addForms(all, value);
        });
        all.removeIf(form -> form.length() < MIN_LENGTH);
        List<String> sorted = new ArrayList<>(all);
        // Longest first, so that a form containing another is masked whole rather than in pieces.
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.forms = List.copyOf(sorted);
        this.tooShort = List.copyOf(shortNames);
    }

    private static void addForms(Set<String> all, String value) {
        all.add(value);
        Base64.Encoder base64 = Base64.getEncoder();
        for (String encoded : List.of(value, value + "\n")) {
            String b64 = base64.encodeToString(encoded.getBytes(StandardCharsets.UTF_8));
            all.add(b64);
            all.add(b64.replace("=", ""));
        }
        String url = URLEncoder.encode(value, StandardCharsets.UTF_8);
        all.add(url);
        all.add(url.replace("+", "%20"));
        all.add(new String(JsonStringEncoder.getInstance().quoteAsString(value)));
        for (String line : value.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.length() >= MIN_LENGTH) {
                all.add(trimmed);
            }
        }
    }

    /** The text with every secret form replaced by {@code ***}. */
    String mask(String text) {
        if (text == null || forms.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String form : forms) {
            masked = masked.replace(form, MASK);
        }
        return masked;
    }

    /** The names of the secrets too short to mask, in the order given. */
    List<String> tooShort() {
        return tooShort;
    }
}
