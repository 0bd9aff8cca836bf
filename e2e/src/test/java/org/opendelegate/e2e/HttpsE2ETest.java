package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.testkit.FreePorts;
import org.opendelegate.testkit.TestCertificates;

/**
 * HTTPS end to end: a Manager process serving a certificate from a private CA, and a delegate process that
 * trusts that CA through MANAGER_CA_CERT and runs a task; and a delegate that refuses plain HTTP to another
 * machine before it sends anything.
 */
class HttpsE2ETest {
    private final List<AutoCloseable> running = new ArrayList<>();
    private Path work;

    @BeforeEach
    void workDir(TestInfo test) {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve(test.getTestMethod().orElseThrow().getName() + "-"
                        + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void aDelegateTrustingThePrivateCaConnectsOverHttpsAndRunsATask() throws Exception {
        java.nio.file.Files.createDirectories(work);
        TestCertificates certificates = new TestCertificates(work);
        TestCertificates.Pair ca = certificates.authority("e2e-ca");
        TestCertificates.Pair leaf = certificates.signedBy(ca, "manager");
        int port = FreePorts.next();
        ManagerProcess manager = track(ManagerProcess.start(
                "manager",
                work.resolve("data"),
                port,
                Map.of(
                        "OPENDELEGATE_TLS_CERT", leaf.certificate().toString(),
                        "OPENDELEGATE_TLS_KEY", leaf.key().toString(),
                        "OPENDELEGATE_EXTERNAL_URL", "https://127.0.0.1:" + port)));
        assertThat(manager.url()).startsWith("https://");
        Api api = new Api(manager.url(), ManagerProcess.API_KEY, ca.trustingClient());

        DelegateProcess untrusting = track(DelegateProcess.start("untrusting", manager, "tls", Map.of(), work));
        untrusting.awaitOutput(java.util.regex.Pattern.compile("TLS failed"), Duration.ofSeconds(30));
        untrusting.close();

        DelegateProcess delegate = track(DelegateProcess.start(
                "delegate",
                manager,
                "tls",
                Map.of(
                        "DELEGATE_NAME",
                        "tls-1",
                        "MANAGER_CA_CERT",
                        ca.certificate().toString()),
                work));
        assertThat(delegate.awaitConnected()).isEqualTo("tls-1");
        String id = api.submit(
                Map.of("type", "echo", "payload", Map.of("greeting", "over tls"), "selectors", List.of("tls-1")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.task(id).get("state").asText().equals("SUCCEEDED"));
        assertThat(api.task(id).get("result").get("greeting").asText()).isEqualTo("over tls");
    }

    @Test
    void aDelegateRefusesPlainHttpToAnotherMachineAndExitsWithTheConfigCode() throws Exception {
        java.nio.file.Files.createDirectories(work);
        // Refused from the URL alone: nothing is resolved or connected.
        DelegateProcess delegate =
                track(DelegateProcess.start("insecure", "http://manager.example.com:8080", "tls", Map.of(), work));
        assertThat(delegate.waitForExit(Duration.ofSeconds(30))).isEqualTo(2);
        assertThat(delegate.output()).contains("MANAGER_ALLOW_INSECURE=true").doesNotContain("Connected to");
    }

    private <T extends AutoCloseable> T track(T closeable) {
        running.add(closeable);
        return closeable;
    }
}
