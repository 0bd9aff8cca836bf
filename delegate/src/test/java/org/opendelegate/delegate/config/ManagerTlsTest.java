package org.opendelegate.delegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opendelegate.delegate.config.ConfigParserTest.minimal;
import static org.opendelegate.delegate.config.ConfigParserTest.problems;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.testkit.TestCertificates;

/** MANAGER_CA_CERT, MANAGER_CERT_SHA256 and the plain-HTTP refusal, decided from the settings alone. */
class ManagerTlsTest {
    @TempDir
    Path dir;

    @Test
    void plainHttpToAnotherMachineIsRefusedWithoutConnecting() {
        for (String url : new String[] {
            "http://manager.example.com", "http://10.0.0.5:8080", "http://127.0.0.1.example.com", "http://[::2]:80"
        }) {
            Map<String, String> env = minimal();
            env.put("MANAGER_URL", url);
            assertThat(problems(env)).as(url).singleElement().asString().contains("MANAGER_ALLOW_INSECURE=true");
        }
    }

    @Test
    void plainHttpOnLoopbackOrWithAllowInsecureStarts() throws Exception {
        for (String url : new String[] {"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"}) {
            Map<String, String> env = minimal();
            env.put("MANAGER_URL", url);
            assertThat(ConfigParser.parse(env).tls().allowInsecure()).as(url).isFalse();
        }
        Map<String, String> env = minimal();
        env.put("MANAGER_URL", "http://manager.example.com");
        env.put("MANAGER_ALLOW_INSECURE", "true");
        DelegateConfig config = ConfigParser.parse(env);
        assertThat(config.tls().allowInsecure()).isTrue();
        assertThat(config.describe()).contains("MANAGER_ALLOW_INSECURE=true");
        env.put("MANAGER_ALLOW_INSECURE", "yes please");
        assertThat(problems(env)).anySatisfy(p -> assertThat(p).contains("is not true or false"));
    }

    @Test
    void theCaIsPemTextOrAFileAndThePinIs64HexDigits() throws Exception {
        TestCertificates.Pair ca = new TestCertificates(dir).authority("test-ca");
        Map<String, String> env = minimal();
        env.put("MANAGER_CA_CERT", ca.certificatePem());
        assertThat(ConfigParser.parse(env).tls().caCertificates()).hasSize(1);
        env.put("MANAGER_CA_CERT", ca.certificate().toString());
        assertThat(ConfigParser.parse(env).tls().caCertificates()).hasSize(1);
        env.put("MANAGER_CA_CERT", dir.resolve("missing.pem").toString());
        assertThat(problems(env)).singleElement().asString().contains("neither PEM text");
        env.put("MANAGER_CA_CERT", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThat(problems(env)).singleElement().asString().contains("no valid PEM certificate");

        env.remove("MANAGER_CA_CERT");
        env.put("MANAGER_CERT_SHA256", "AB:".repeat(31) + "AB");
        assertThat(ConfigParser.parse(env).tls().pinnedSha256()).isEqualTo("ab".repeat(32));
        env.put("MANAGER_CERT_SHA256", "ab".repeat(31));
        assertThat(problems(env)).singleElement().asString().contains("64 hex digits");

        env.put("MANAGER_CERT_SHA256", "ab".repeat(32));
        env.put("MANAGER_CA_CERT", ca.certificatePem());
        assertThat(problems(env)).singleElement().asString().contains("set only one");

        env.remove("MANAGER_CA_CERT");
        env.put("MANAGER_URL", "http://127.0.0.1:8080");
        assertThat(problems(env)).singleElement().asString().contains("is not https://");
    }
}
