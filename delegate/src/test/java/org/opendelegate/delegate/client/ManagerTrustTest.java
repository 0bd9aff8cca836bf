package org.opendelegate.delegate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.delegate.config.ManagerTls;
import org.opendelegate.testkit.TestCertificates;

/** Real TLS handshakes against a loopback HTTPS server: which certificates a delegate accepts. */
class ManagerTrustTest {
    @TempDir
    static Path dir;

    static TestCertificates.Pair ca;
    static TestCertificates.Pair signed;
    static TestCertificates.Pair otherName;
    static TestCertificates.Pair selfSigned;

    private HttpsServer server;

    @BeforeAll
    static void makeCertificates() {
        TestCertificates make = new TestCertificates(dir);
        ca = make.authority("test-ca");
        signed = make.signedBy(ca, "manager");
        otherName = make.signedBy(ca, "elsewhere", "DNS:elsewhere.example.com");
        selfSigned = make.selfSigned("self");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void trustsACertificateFromTheConfiguredCa() throws Exception {
        URI url = serve(signed);
        assertThat(call(url, new ManagerTls(List.of(ca.x509()), null, false, "test")))
                .isEqualTo(200);
    }

    @Test
    void refusesACertificateNoTrustedCaSigned() throws Exception {
        URI url = serve(signed);
        assertThatThrownBy(() -> call(url, ManagerTls.systemDefault())).isInstanceOf(SSLException.class);
        assertThatThrownBy(() -> call(url, new ManagerTls(List.of(selfSigned.x509()), null, false, "test")))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void withACaTheHostNameIsStillChecked() throws Exception {
        URI url = serve(otherName);
        assertThatThrownBy(() -> call(url, new ManagerTls(List.of(ca.x509()), null, false, "test")))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void aPinTrustsExactlyThatCertificateWhateverItsName() throws Exception {
        URI url = serve(otherName);
        assertThat(call(url, new ManagerTls(List.of(), otherName.sha256(), false, null)))
                .isEqualTo(200);
    }

    @Test
    void aWrongPinIsRefusedEvenForACertificateTheCaWouldTrust() throws Exception {
        URI url = serve(signed);
        assertThatThrownBy(() -> call(url, new ManagerTls(List.of(), selfSigned.sha256(), false, null)))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("not the one MANAGER_CERT_SHA256 pins");
    }

    private URI serve(TestCertificates.Pair pair) throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(pair.server()));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    private static int call(URI url, ManagerTls tls) throws Exception {
        HttpTransport transport = new HttpTransport(url, Proxy.NO_PROXY, "token", "acc-1", "test", tls);
        return transport
                .post("/probe", "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5), null, null)
                .status();
    }
}
