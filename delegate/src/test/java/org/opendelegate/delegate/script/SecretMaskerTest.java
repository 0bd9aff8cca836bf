package org.opendelegate.delegate.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
    private static final String SECRET = "s3cr3t value/with+chars&\"quotes\"";

    private static SecretMasker masker(String... nameValue) {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            secrets.put(nameValue[i], nameValue[i + 1]);
        }
        return new SecretMasker(secrets);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theValueIsMaskedEverywhereInALine() {
        assertThat(masker("TOKEN", SECRET).mask("a " + SECRET + " b " + SECRET)).isEqualTo("a *** b ***");
    }

    @Test
    void itsBase64FormsAreMasked() {
        SecretMasker masker = masker("TOKEN", SECRET);
        assertThat(masker.mask("b64=" + base64(SECRET))).isEqualTo("b64=***");
        assertThat(masker.mask("nopad=" + base64(SECRET).replace("=", ""))).isEqualTo("nopad=***");
        // What `echo "$TOKEN" | base64` prints: the value with echo's newline.
        assertThat(masker.mask("echo=" + base64(SECRET + "\n"))).isEqualTo("echo=***");
    }

    @Test
    void itsUrlEncodedFormsAreMasked() {
        SecretMasker masker = masker("TOKEN", SECRET);
        String form = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        assertThat(form).contains("+").isNotEqualTo(SECRET);
        assertThat(masker.mask("q=" + form)).isEqualTo("q=***");
        assertThat(masker.mask("q=" + form.replace("+", "%20"))).isEqualTo("q=***");
    }

    @Test
    void itsJsonEscapedFormIsMasked() {
        String json = "{\"token\":\"s3cr3t value/with+chars&\\\"quotes\\\"\"}";
        assertThat(masker("TOKEN", SECRET).mask(json)).isEqualTo("{\"token\":\"***\"}");
    }

    @Test
    void eachLongEnoughLineOfAMultiLineSecretIsMaskedOnItsOwn() {
        String key = "-----BEGIN KEY-----\nMIIEabcdef\nab\n-----END KEY-----\n";
        SecretMasker masker = masker("KEY", key);
        assertThat(masker.mask("-----BEGIN KEY-----")).isEqualTo("***");
        assertThat(masker.mask("  MIIEabcdef")).isEqualTo("  ***");
        assertThat(masker.mask("-----END KEY-----")).isEqualTo("***");
        assertThat(masker.mask("ab")).as("a line under 4 characters stays").isEqualTo("ab");
    }

    @Test
    void valuesShorterThanFourCharactersAreNotMaskedAndNamed() {
        SecretMasker masker = masker("PIN", "123", "TOKEN", SECRET, "EMPTY", "");
        assertThat(masker.mask("pin 123")).isEqualTo("pin 123");
        assertThat(masker.tooShort()).containsExactly("PIN");
        assertThat(masker("FOUR", "abcd").mask("xabcdx")).isEqualTo("x***x");
    }

    @Test
    void aLongerSecretContainingAShorterOneIsMaskedWhole() {
        SecretMasker masker = masker("SHORT", "abcd", "LONG", "abcdefgh");
        assertThat(masker.mask("abcdefgh abcd")).isEqualTo("*** ***");
    }

    @Test
    void withoutSecretsTextIsUntouched() {
        assertThat(masker().mask("nothing to hide")).isEqualTo("nothing to hide");
    }
}
