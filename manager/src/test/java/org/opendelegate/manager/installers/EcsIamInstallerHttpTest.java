package org.opendelegate.manager.installers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.TarGz;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.testkit.TestHttp;

/** The ECS installer with {@code "authentication": "IAM"}: no token anywhere, the group trusts the task role. */
class EcsIamInstallerHttpTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/opendelegate-task";
    private static final String EXEC_ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
    private static TestManager manager;
    private static TestHttp api;

    @BeforeAll
    static void start() {
        manager = TestManager.start(Map.of("OPENDELEGATE_EXTERNAL_URL", "https://delegates.example.com/"));
        api = manager.api();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void anIamDownloadCarriesNoTokenNamesTheManagerAndMakesTheGroupTrustTheTaskRole() throws Exception {
        int tokensBefore =
                api.get("/api/v1/delegate-tokens").json().get("tokens").size();
        TestHttp.BinaryResponse r = api.postForBytes("/api/v1/installers/ecs", iam("ecs-iam", ROLE));

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        Map<String, TarGz.Entry> files = TarGz.read(r.body());
        String spec = text(files, "opendelegate-ecs/ecs-task-spec.json");
        assertThat(spec + text(files, "opendelegate-ecs/cloudformation.yaml"))
                .doesNotContain("DELEGATE_TOKEN")
                .doesNotContain("odt_");
        assertThat(files.get("opendelegate-ecs/ecs-task-spec.json").mode()).isEqualTo(0644);
        JsonNode container =
                ProtocolJson.mapper().readTree(spec).get("containerDefinitions").get(0);
        Map<String, String> env = new HashMap<>();
        container
                .get("environment")
                .forEach(e -> env.put(e.get("name").asText(), e.get("value").asText()));
        assertThat(env).containsEntry("DELEGATE_AUTHENTICATION", "IAM");
        assertThat(env.get("MANAGER_ID")).startsWith("odm_");
        assertThat(container.has("secrets")).isFalse();
        assertThat(text(files, "opendelegate-ecs/README.txt")).contains("No delegate token");
        assertThat(api.get("/api/v1/delegate-tokens").json().get("tokens")).hasSize(tokensBefore);
        String groupId = api.get("/api/v1/delegate-groups").json().get("groups").findValuesAsText("id").stream()
                .filter(id -> api.get("/api/v1/delegate-groups/" + id)
                        .json()
                        .get("name")
                        .asText()
                        .equals("ecs-iam"))
                .findFirst()
                .orElseThrow();
        assertThat(api.get("/api/v1/delegate-groups/" + groupId + "/trusted-identities")
                        .json()
                        .get("trustedIdentities")
                        .get(0)
                        .asText())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/opendelegate-task/*");
    }

    @Test
    void iamNeedsTheTaskRoleAndTakesNoTokenOptions() {
        Map<String, Object> noRole = new HashMap<>(iam("ecs-iam-2", ROLE));
        noRole.remove("taskRoleArn");
        TestHttp.Response missing = api.post("/api/v1/installers/ecs", noRole);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("taskRoleArn").contains("authentication IAM");

        Map<String, Object> withToken = new HashMap<>(iam("ecs-iam-2", ROLE));
        withToken.put("tokenName", "some-token");
        TestHttp.Response token = api.post("/api/v1/installers/ecs", withToken);
        assertThat(token.status()).isEqualTo(400);
        assertThat(token.body()).contains("tokenName");

        Map<String, Object> unknown = new HashMap<>(iam("ecs-iam-2", ROLE));
        unknown.put("authentication", "KERBEROS");
        assertThat(api.post("/api/v1/installers/ecs", unknown).body()).contains("authentication");
        assertThat(api.get("/api/v1/delegate-groups").body()).doesNotContain("ecs-iam-2");
    }

    private static Map<String, Object> iam(String group, String role) {
        return Map.of(
                "delegateGroupName",
                group,
                "awsVpcMode",
                true,
                "taskRoleArn",
                role,
                "executionRoleArn",
                EXEC_ROLE,
                "authentication",
                "IAM");
    }

    private static String text(Map<String, TarGz.Entry> files, String name) {
        return new String(files.get(name).content(), StandardCharsets.UTF_8);
    }
}
