package org.opendelegate.manager.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.testkit.TestCertificates;

/** Keys in the forms openssl writes them, read by the JDK alone. */
class PemTest {
    @TempDir
    Path dir;

    @Test
    void readsPkcs8RsaPkcs1AndEcSec1Keys() throws Exception {
        TestCertificates make = new TestCertificates(dir);
        TestCertificates.Pair ec = make.selfSigned("ec");
        TestCertificates.Pair rsa = make.selfSignedRsa("rsa");
        Path sec1 = make.convertKey(ec.key(), "ec-sec1.pem", List.of("ec"));
        Path pkcs1 = make.convertKey(rsa.key(), "rsa-pkcs1.pem", List.of("rsa", "-traditional"));
        assertThat(Files.readString(sec1)).contains("BEGIN EC PRIVATE KEY");
        assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");

        Pem.checkPair(ec.x509(), Pem.privateKey(ec.keyPem()));
        Pem.checkPair(ec.x509(), Pem.privateKey(Files.readString(sec1)));
        Pem.checkPair(rsa.x509(), Pem.privateKey(rsa.keyPem()));
        Pem.checkPair(rsa.x509(), Pem.privateKey(Files.readString(pkcs1)));
        assertThatThrownBy(() -> Pem.checkPair(rsa.x509(), Pem.privateKey(ec.keyPem())))
                .hasMessageContaining("does not belong");
    }

    @Test
    void refusesWhatItCannotReadSayingHowToConvert() {
        assertThatThrownBy(() -> Pem.privateKey(
                        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"))
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        assertThatThrownBy(() -> Pem.privateKey("no key here")).hasMessageContaining("BEGIN PRIVATE KEY");
        assertThatThrownBy(
                        () -> Pem.certificates("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pinsAre64HexDigitsWithOrWithoutColons() {
        String hex = "ab".repeat(32);
        assertThat(Pem.normalizePin(hex.toUpperCase(java.util.Locale.ROOT))).isEqualTo(hex);
        assertThat(Pem.normalizePin(String.join(":", hex.split("(?<=\\G..)")))).isEqualTo(hex);
        assertThat(Pem.normalizePin(hex.substring(2))).isNull();
        assertThat(Pem.normalizePin(hex.substring(2) + "zz")).isNull();
    }
}
