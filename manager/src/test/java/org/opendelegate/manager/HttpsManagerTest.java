package org.opendelegate.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.manager.testing.TarGz;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.testkit.TestCertificates;

/** A real Manager serving HTTPS on its one port: headers, cookies, and what its installers hand out. */
class HttpsManagerTest {
    @TempDir
    static Path dir;

    static TestCertificates.Pair pair;
    static TestManager manager;
    static HttpClient client;

    @BeforeAll
    static void start() {
        pair = new TestCertificates(dir).selfSigned("manager");
        manager = TestManager.start(Map.of(
                "OPENDELEGATE_TLS_CERT", pair.certificate().toString(),
                "OPENDELEGATE_TLS_KEY", pair.key().toString()));
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(pair.trustingClient())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static String url() {
        return "https://127.0.0.1:" + manager.server().port();
    }

    @Test
    void servesHttpsWithHstsOnTheOnePort() throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(url() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
    }

    @Test
    void plainHttpManagersSendNoHsts() {
        try (TestManager plain = TestManager.start()) {
            assertThat(plain.anonymous().get("/healthz").header("Strict-Transport-Security"))
                    .isNull();
        }
    }

    @Test
    void consoleCookiesAreSecure() throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(url() + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().allValues("Set-Cookie"))
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c).contains("; Secure"));
    }

    @Test
    void theFirstStartBannerAndInstallersUseHttps() throws Exception {
        assertThat(manager.server().config().externalUrl().toString()).startsWith("https://localhost:");
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        FirstStartBanner.print(manager.server(), new PrintStream(banner, true));
        assertThat(banner.toString(StandardCharsets.UTF_8)).contains("https://localhost:");

        HttpResponse<byte[]> r = post("/api/v1/installers/ecs", Map.of("delegateGroupName", "tls-ecs"));
        assertThat(r.statusCode())
                .as(new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        JsonNode env = ProtocolJson.mapper()
                .readTree(TarGz.read(r.body())
                        .get("opendelegate-ecs/ecs-task-spec.json")
                        .text())
                .at("/containerDefinitions/0/environment");
        assertThat(envValue(env, "MANAGER_URL")).startsWith("https://localhost:");
        assertThat(envValue(env, "MANAGER_CERT_SHA256"))
                .as("a self-signed Manager pins its own certificate by default")
                .isEqualTo(pair.sha256());
        assertThat(envValue(env, "MANAGER_CA_CERT")).isNull();
    }

    @Test
    void anExplicitCaReplacesTheDefaultPin() throws Exception {
        HttpResponse<byte[]> r = post(
                "/api/v1/installers/ecs",
                Map.of("delegateGroupName", "tls-ecs-ca", "managerCaCert", pair.certificatePem()));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode env = ProtocolJson.mapper()
                .readTree(TarGz.read(r.body())
                        .get("opendelegate-ecs/ecs-task-spec.json")
                        .text())
                .at("/containerDefinitions/0/environment");
        assertThat(envValue(env, "MANAGER_CA_CERT")).contains("-----BEGIN CERTIFICATE-----");
        assertThat(envValue(env, "MANAGER_CERT_SHA256")).isNull();
    }

    @Test
    void aBadPinOrCaIsAFieldErrorAndCreatesNothing() throws Exception {
        HttpResponse<byte[]> pin =
                post("/api/v1/installers/ecs", Map.of("delegateGroupName", "tls-bad", "managerCertSha256", "abc123"));
        assertThat(pin.statusCode()).isEqualTo(400);
        JsonNode problem = ProtocolJson.mapper().readTree(pin.body());
        assertThat(problem.at("/errors/0/field").asText()).isEqualTo("managerCertSha256");
        assertThat(problem.at("/errors/0/message").asText()).contains("64 hex digits");

        HttpResponse<byte[]> ca = post(
                "/api/v1/installers/shell",
                Map.of("delegateGroupName", "tls-bad", "managerCaCert", "-----BEGIN CERTIFICATE-----\nxx\n"));
        assertThat(ca.statusCode()).isEqualTo(400);
        assertThat(ProtocolJson.mapper()
                        .readTree(ca.body())
                        .at("/errors/0/field")
                        .asText())
                .isEqualTo("managerCaCert");

        HttpResponse<byte[]> both = post(
                "/api/v1/installers/ecs",
                Map.of(
                        "delegateGroupName", "tls-bad",
                        "managerCaCert", pair.certificatePem(),
                        "managerCertSha256", pair.sha256()));
        assertThat(both.statusCode()).isEqualTo(400);

        HttpResponse<byte[]> groups = client.send(
                HttpRequest.newBuilder(URI.create(url() + "/api/v1/delegate-groups"))
                        .header("Authorization", "Bearer " + TestManager.API_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(new String(groups.body(), StandardCharsets.UTF_8)).doesNotContain("tls-bad");
    }

    private static HttpResponse<byte[]> post(String path, Map<String, String> body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(url() + path))
                        .header("Authorization", "Bearer " + TestManager.API_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(
                                ProtocolJson.mapper().writeValueAsBytes(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String envValue(JsonNode env, String name) {
        for (JsonNode e : env) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        return null;
    }
}
