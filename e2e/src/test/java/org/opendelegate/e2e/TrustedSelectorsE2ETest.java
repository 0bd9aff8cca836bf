package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.e2e.support.MotoServer;
import org.opendelegate.e2e.support.RogueDelegate;

/**
 * The proof of "secrets route only by selectors an admin granted", with the built Manager, a real delegate
 * process and {@code moto_server}: a cloud provider with stored access keys and selector {@code aws-prod};
 * a rogue with an account-wide token that declares {@code aws-prod} about itself and keeps polling; a
 * legitimate delegate whose group has {@code aws-prod}. Every one of 100 Test calls goes to the legitimate
 * delegate, the rogue is never handed a secret, and the selection log says why it was passed over.
 */
class TrustedSelectorsE2ETest {
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static MotoServer moto;
    private static JsonNode seeded;
    private static ManagerProcess manager;
    private static Api api;
    private static RogueDelegate rogue;

    @BeforeAll
    static void start() {
        Path work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("trusted-" + UUID.randomUUID().toString().substring(0, 8));
        moto = track(MotoServer.start(work));
        seeded = moto.seedForProviders(work);
        manager = track(ManagerProcess.start("manager", work.resolve("data"), 0, Map.of()));
        api = manager.api();
        // The legitimate delegate has no AWS credentials of its own: the provider's keys travel with each task.
        Map<String, String> env = new HashMap<>(moto.environment());
        env.remove("AWS_ACCESS_KEY_ID");
        env.remove("AWS_SECRET_ACCESS_KEY");
        env.put("DELEGATE_NAME", "legit-1");
        track(DelegateProcess.start("legit", manager, "prod-aws", env, work)).awaitConnected();
        String group = api.delegate("legit-1").get("groupId").asText();
        assertThat(api.put("/api/v1/delegate-groups/" + group + "/selectors", Map.of("selectors", List.of("aws-prod")))
                        .status())
                .isEqualTo(200);
        List<String> taskTypes = new ArrayList<>();
        api.delegate("legit-1").get("taskTypes").forEach(t -> taskTypes.add(t.asText()));
        rogue = track(RogueDelegate.start(manager.url(), "rogue-1", "rogues", List.of("aws-prod"), taskTypes));
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
    }

    @Test
    void everyTestOfAProviderWithStoredKeysGoesToTheDelegateWhoseGroupGrantsTheSelector() {
        String secret = seeded.get("secretAccessKey").asText();
        JsonNode selectors = api.delegate("rogue-1").get("selectorDetails");
        assertThat(selectors.toString())
                .contains("{\"value\":\"aws-prod\",\"source\":\"DELEGATE\",\"trust\":\"SELF_DECLARED\"}");
        assertThat(api.delegate("legit-1").get("selectorDetails").toString())
                .contains("{\"value\":\"aws-prod\",\"source\":\"GROUP\",\"trust\":\"TRUSTED\"}");
        Api.Response created = api.post(
                "/api/v1/cloud-providers",
                Map.of(
                        "name",
                        "stored-keys",
                        "type",
                        "AWS",
                        "region",
                        MotoServer.REGION,
                        "credentials",
                        Map.of(
                                "type",
                                "ACCESS_KEY",
                                "accessKeyId",
                                seeded.get("accessKeyId").asText(),
                                "secretAccessKey",
                                secret,
                                "delegateSelectors",
                                List.of("aws-prod"))));
        assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
        String provider = created.json().get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> !rogue.pollAnswers().isEmpty());

        List<String> taskIds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Api.Response test = api.post("/api/v1/cloud-providers/" + provider + "/test", Map.of());
            assertThat(test.status()).as(test.json().toString()).isEqualTo(200);
            assertThat(test.json().get("connected").asBoolean())
                    .as(test.json().toString())
                    .isTrue();
            assertThat(test.json().get("delegateName").asText()).isEqualTo("legit-1");
            taskIds.add(test.json().get("taskId").asText());
        }

        JsonNode task = api.task(taskIds.get(99));
        JsonNode rogueVerdict = null;
        for (JsonNode candidate : task.get("selectionLog").get("candidates")) {
            if (candidate.get("name").asText().equals("rogue-1")) {
                rogueVerdict = candidate;
            }
        }
        assertThat(rogueVerdict).as(task.get("selectionLog").toString()).isNotNull();
        assertThat(rogueVerdict.get("eligible").asBoolean()).isFalse();
        assertThat(rogueVerdict.get("reason").asText())
                .isEqualTo("`aws-prod` is only self-declared by this delegate; tasks that carry secrets need it "
                        + "from its group");
        assertThat(rogue.pollAnswers())
                .as("the rogue kept polling and was never handed a task, let alone a secret")
                .isNotEmpty()
                .allSatisfy(answer -> assertThat(answer)
                        .startsWith("200 ")
                        .contains("\"assignments\":[]")
                        .doesNotContain(secret)
                        .doesNotContain("secretAccessKey"));
    }

    private static <T extends AutoCloseable> T track(T resource) {
        RUNNING.add(resource);
        return resource;
    }
}
