package org.opendelegate.manager.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.manager.config.TlsConfig;
import org.opendelegate.manager.security.Pem;
import org.opendelegate.manager.security.StartupException;
import org.opendelegate.testkit.TestCertificates;

/** The HTTPS connector on a real Jetty server: what a client's handshake sees before and after a reload. */
class TlsConnectorTest {
    @TempDir
    static Path certs;

    static TestCertificates.Pair first;
    static TestCertificates.Pair second;

    @TempDir
    Path served;

    private Server server;

    @BeforeAll
    static void makeCertificates() {
        TestCertificates make = new TestCertificates(certs);
        first = make.selfSigned("first");
        second = make.selfSigned("second");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void servesThePairAndReadsItAgainWhenTheFilesChange() throws Exception {
        TlsConnector tls = connector(first);
        int port = start(tls);
        assertThat(presented(port)).isEqualTo(first.sha256());
        assertThat(tls.reloadIfChanged()).as("nothing changed").isFalse();

        install(second, Instant.now().plusSeconds(10));

        assertThat(tls.reloadIfChanged()).isTrue();
        assertThat(presented(port)).isEqualTo(second.sha256());
        assertThat(Pem.sha256(tls.certificate())).isEqualTo(second.sha256());
    }

    @Test
    void aBadNewPairKeepsTheOldOneUntilAGoodPairArrives() throws Exception {
        TlsConnector tls = connector(first);
        int port = start(tls);

        // Half a renewal: the new certificate, still the old key.
        Files.copy(second.certificate(), served.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(
                served.resolve("cert.pem"), FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(tls.reloadIfChanged()).isFalse();
        assertThat(presented(port)).isEqualTo(first.sha256());

        // Garbage in the key file.
        Files.writeString(served.resolve("key.pem"), "not a key");
        Files.setLastModifiedTime(
                served.resolve("key.pem"), FileTime.from(Instant.now().plusSeconds(20)));
        assertThat(tls.reloadIfChanged()).isFalse();
        assertThat(presented(port)).isEqualTo(first.sha256());

        install(second, Instant.now().plusSeconds(30));
        assertThat(tls.reloadIfChanged()).isTrue();
        assertThat(presented(port)).isEqualTo(second.sha256());
    }

    @Test
    void aPairThatDoesNotBelongTogetherCannotStart() throws Exception {
        Files.copy(first.certificate(), served.resolve("cert.pem"));
        Files.copy(second.key(), served.resolve("key.pem"));
        assertThatThrownBy(() -> new TlsConnector(new TlsConfig(served.resolve("cert.pem"), served.resolve("key.pem"))))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("does not belong to the certificate");
    }

    private TlsConnector connector(TestCertificates.Pair pair) throws Exception {
        install(pair, Instant.now());
        return new TlsConnector(new TlsConfig(served.resolve("cert.pem"), served.resolve("key.pem")));
    }

    private void install(TestCertificates.Pair pair, Instant modified) throws Exception {
        Files.copy(pair.certificate(), served.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pair.key(), served.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(served.resolve("cert.pem"), FileTime.from(modified));
        Files.setLastModifiedTime(served.resolve("key.pem"), FileTime.from(modified));
    }

    private int start(TlsConnector tls) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server, tls.factories(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.start();
        return connector.getLocalPort();
    }

    /** The SHA-256 of the certificate a client's handshake gets. */
    private static String presented(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new AcceptAll()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return Pem.sha256((X509Certificate) socket.getSession().getPeerCertificates()[0]);
        }
    }

    /** Only reads what the server presents; the test compares it itself. */
    private static final class AcceptAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
