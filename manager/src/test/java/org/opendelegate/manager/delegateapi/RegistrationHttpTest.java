package org.opendelegate.manager.delegateapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

class RegistrationHttpTest {
    private TestManager manager;

    @BeforeEach
    void start() {
        manager = TestManager.start(Map.of("OPENDELEGATE_EPHEMERAL_RETENTION", "1s"));
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void aRegisteredDelegateIsListedConnectedInItsNewGroup() {
        FakeDelegate d = manager.delegate("build-1", "ecs-prod").with("selectors", List.of(" Docker ", "ECS"));
        TestHttp.Response r = d.register();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("heartbeatIntervalMillis").asLong()).isEqualTo(500);
        assertThat(r.json().get("pollWaitMillis").asLong()).isLessThan(30_000);
        JsonNode listed = delegates().get(0);
        assertThat(listed.get("id").asText()).isEqualTo(d.delegateId);
        assertThat(listed.get("name").asText()).isEqualTo("build-1");
        assertThat(listed.get("groupName").asText()).isEqualTo("ecs-prod");
        assertThat(listed.get("status").asText()).isEqualTo("CONNECTED");
        assertThat(listed.get("type").asText()).isEqualTo("SHELL");
        assertThat(listed.get("hostname").asText()).isEqualTo("build-1.local");
        assertThat(listed.get("version").asText()).isEqualTo("0.1.0");
        assertThat(listed.has("lastHeartbeatAt")).isTrue();
        assertThat(listed.has("connectedSince")).isTrue();
        assertThat(listed.has("ip")).isTrue();
        assertThat(texts(listed.get("selectors"))).containsExactly("build-1", "docker", "ecs", "ecs-prod");
        assertThat(manager.api()
                        .get("/api/v1/delegate-groups")
                        .json()
                        .get("groups")
                        .get(0)
                        .get("name")
                        .asText())
                .isEqualTo("ecs-prod");
        assertThat(manager.api()
                        .get("/api/v1/delegates/" + d.delegateId)
                        .json()
                        .get("name")
                        .asText())
                .isEqualTo("build-1");
    }

    @Test
    void theSameIdentityComesBackAsTheSameRecordAndReplacesTheOldSession() {
        FakeDelegate first = manager.delegate("build-1", "g");
        first.register();
        String oldSession = first.sessionId;
        FakeDelegate second = manager.delegate("build-1", "g");
        second.register();

        assertThat(second.delegateId).isEqualTo(first.delegateId);
        assertThat(delegates()).hasSize(1);
        first.sessionId = oldSession;
        TestHttp.Response stale = first.heartbeat();
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().get("code").asText()).isEqualTo("SESSION_REPLACED");
        assertThat(stale.json().get("detail").asText()).contains("DELEGATE_NAME");
        assertThat(second.heartbeat().status()).isEqualTo(200);
    }

    @Test
    void twoLiveEcsTasksWithOneHostnameAreTwoDelegates() {
        FakeDelegate a = ecs("ip-10-0-0-1", "arn:aws:ecs:us-east-1:123:task/prod/aaaaaaaa1111");
        FakeDelegate b = ecs("ip-10-0-0-1", "arn:aws:ecs:us-east-1:123:task/prod/bbbbbbbb2222");
        FakeDelegate aRestarted = ecs("ip-10-0-0-1", "arn:aws:ecs:us-east-1:123:task/prod/aaaaaaaa1111");
        a.register();
        b.register();
        aRestarted.register();

        assertThat(b.delegateId).isNotEqualTo(a.delegateId);
        assertThat(aRestarted.delegateId).isEqualTo(a.delegateId);
        assertThat(delegates())
                .extracting(n -> n.get("name").asText())
                .containsExactlyInAnyOrder("ip-10-0-0-1", "ip-10-0-0-1-bbbbbbbb");
    }

    @Test
    void badRegistrationsAreRefusedClearlyAndCreateNothing() {
        manager.seedAccount("acct-b", "odk_b-admin-key-0123456789", Role.ADMIN, "odt_b-token-0123456789");
        String revoked = manager.api()
                .post("/api/v1/delegate-tokens", Map.of("name", "old"))
                .json()
                .get("token")
                .asText();
        String revokedId = manager.api().get("/api/v1/delegate-tokens").json().get("tokens").findValues("id").stream()
                .map(JsonNode::asText)
                .filter(id -> !id.isEmpty())
                .reduce((x, y) -> y)
                .orElseThrow();
        manager.api().post("/api/v1/delegate-tokens/" + revokedId + "/revoke", Map.of());
        FakeDelegate good = manager.delegate("d", "g");
        TestHttp http = good.http();
        Map<String, Object> body = Map.of(
                "instanceId",
                "i",
                "name",
                "d",
                "groupName",
                "g",
                "type",
                "SHELL",
                "identityKind",
                "STABLE",
                "capacity",
                1,
                "taskTypes",
                List.of("echo"));

        List<TestHttp.Response> answers = new ArrayList<>();
        answers.add(http.withHeader("Authorization", "Bearer odt_wrong-token-000000")
                .post(DelegateApiPaths.REGISTER, body));
        answers.add(http.withHeader("Authorization", "Bearer " + revoked).post(DelegateApiPaths.REGISTER, body));
        answers.add(http.withHeader("Authorization", "Bearer odt_b-token-0123456789")
                .post(DelegateApiPaths.REGISTER, body));
        answers.add(http.withHeader("Authorization", null).post(DelegateApiPaths.REGISTER, body));
        answers.add(http.withHeader("X-OpenDelegate-Account", null).post(DelegateApiPaths.REGISTER, body));
        answers.add(http.withHeader("X-OpenDelegate-Protocol", "99").post(DelegateApiPaths.REGISTER, body));
        answers.add(http.postRaw(DelegateApiPaths.REGISTER, "application/json", "{\"name\": \"d\""));
        answers.add(http.post(DelegateApiPaths.REGISTER, Map.of("name", "x".repeat(1_100_000))));
        Map<String, Object> unknownField = new java.util.HashMap<>(body);
        unknownField.put("favouriteColour", "red");
        answers.add(http.post(DelegateApiPaths.REGISTER, unknownField));
        Map<String, Object> badGroup = new java.util.HashMap<>(body);
        badGroup.put("groupName", "bad group!");
        answers.add(http.post(DelegateApiPaths.REGISTER, badGroup));

        assertThat(answers)
                .extracting(TestHttp.Response::status)
                .containsExactly(401, 401, 401, 401, 401, 400, 400, 413, 400, 400);
        assertThat(answers)
                .allSatisfy(a -> assertThat(a.header("Content-Type")).startsWith("application/problem+json"));
        assertThat(answers.get(0).json().get("detail").asText()).contains("not valid for account `acct-test`");
        assertThat(answers.get(1).json().get("detail").asText()).contains("was revoked");
        assertThat(answers.get(2).json().get("detail").asText()).contains("not valid for account");
        assertThat(answers.get(5).json().get("code").asText()).isEqualTo("UNSUPPORTED_PROTOCOL");
        assertThat(answers.get(8).json().get("errors").get(0).get("field").asText())
                .isEqualTo("favouriteColour");
        assertThat(answers.get(9).json().get("errors").get(0).get("field").asText())
                .isEqualTo("groupName");
        assertThat(delegates()).isEmpty();
        assertThat(manager.api().get("/api/v1/delegate-groups").json().get("groups"))
                .isEmpty();
    }

    @Test
    void aTokenBoundToAGroupRegistersOnlyThere() {
        FakeDelegate first = manager.delegate("d1", "payments");
        first.register();
        String groupId = manager.api()
                .get("/api/v1/delegate-groups")
                .json()
                .get("groups")
                .get(0)
                .get("id")
                .asText();
        String token = manager.api()
                .post("/api/v1/delegate-tokens", Map.of("name", "payments-only", "groupId", groupId))
                .json()
                .get("token")
                .asText();

        TestHttp.Response elsewhere =
                manager.delegate("d2", "other", TestManager.ACCOUNT_ID, token).register();
        TestHttp.Response home = manager.delegate("d3", "payments", TestManager.ACCOUNT_ID, token)
                .register();

        assertThat(elsewhere.status()).isEqualTo(403);
        assertThat(elsewhere.json().get("detail").asText()).contains("belongs to group `payments`");
        assertThat(home.status()).isEqualTo(200);
    }

    @Test
    void heartbeatsKeepADelegateConnectedSilenceAndGoodbyeDisconnectIt() {
        FakeDelegate quiet = manager.delegate("quiet", "g");
        FakeDelegate leaving = manager.delegate("leaving", "g");
        quiet.register();
        leaving.register();
        assertThat(leaving.heartbeat().json().get("heartbeatIntervalMillis").asLong())
                .isEqualTo(500);

        assertThat(leaving.deregister().status()).isEqualTo(204);
        assertThat(status("leaving")).isEqualTo("DISCONNECTED");
        assertThat(delegate("leaving").get("disconnectReason").asText()).contains("deregistered");
        TestHttp.Response after = leaving.heartbeat();
        assertThat(after.status()).isEqualTo(404);
        assertThat(after.json().get("code").asText()).isEqualTo("UNKNOWN_SESSION");
        assertThat(status("quiet")).isEqualTo("CONNECTED");
        await().atMost(Duration.ofSeconds(5)).until(() -> status("quiet").equals("DISCONNECTED"));
        assertThat(quiet.heartbeat().status()).isEqualTo(200);
        assertThat(status("quiet")).isEqualTo("CONNECTED");
    }

    @Test
    void groupSelectorsApplyToEveryMemberAtOnceAndBadOnesAreRefused() {
        FakeDelegate a = manager.delegate("a", "ecs-prod");
        FakeDelegate b = manager.delegate("b", "ecs-prod");
        FakeDelegate c = manager.delegate("c", "other");
        a.register();
        b.register();
        c.register();
        String groupId = group("ecs-prod").get("id").asText();

        TestHttp.Response ok = manager.api()
                .put(
                        "/api/v1/delegate-groups/" + groupId + "/selectors",
                        Map.of("selectors", List.of("AWS", "prod-east ")));
        TestHttp.Response bad = manager.api()
                .put(
                        "/api/v1/delegate-groups/" + groupId + "/selectors",
                        Map.of("selectors", List.of("", "x".repeat(65), "no spaces", "<b>")));

        assertThat(ok.status()).isEqualTo(200);
        assertThat(texts(ok.json().get("selectors"))).containsExactly("aws", "prod-east");
        assertThat(texts(delegate("a").get("selectors"))).contains("aws", "prod-east");
        assertThat(texts(delegate("b").get("selectors"))).contains("aws", "prod-east");
        assertThat(texts(delegate("c").get("selectors"))).doesNotContain("aws");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors")).hasSize(4);
        assertThat(bad.json().get("detail").asText())
                .contains("selectors[0]", "selectors[1]", "selectors[2]", "selectors[3]");
        assertThat(texts(group("ecs-prod").get("selectors"))).containsExactly("aws", "prod-east");
        assertThat(manager.api()
                        .put("/api/v1/delegate-groups/nope/selectors", Map.of("selectors", List.of()))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void onlyDisconnectedDelegatesCanBeDeletedAndEphemeralOnesExpireByThemselves() {
        FakeDelegate stable = manager.delegate("stable", "g");
        FakeDelegate ephemeral = manager.delegate("4f1c2d3e4a5b", "g").with("identityKind", "EPHEMERAL");
        stable.register();
        ephemeral.register();

        TestHttp.Response refused = manager.api().delete("/api/v1/delegates/" + stable.delegateId);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).contains("is connected");
        stable.deregister();
        ephemeral.deregister();
        assertThat(manager.api()
                        .delete("/api/v1/delegates/" + stable.delegateId)
                        .status())
                .isEqualTo(204);
        await().atMost(Duration.ofSeconds(8)).until(() -> delegates().isEmpty());
        assertThat(manager.api().get("/api/v1/delegates/" + stable.delegateId).status())
                .isEqualTo(404);
    }

    @Test
    void disconnectedStableDelegatesAreRemovedAfterTheirRetention() {
        try (TestManager short_ = TestManager.start(Map.of("OPENDELEGATE_STABLE_RETENTION", "1s"))) {
            FakeDelegate gone = short_.delegate("gone-host", "g");
            FakeDelegate staying = short_.delegate("staying-host", "g");
            gone.register();
            staying.register();

            gone.deregister();

            await().atMost(Duration.ofSeconds(8))
                    .until(() -> short_.api()
                                    .get("/api/v1/delegates/" + gone.delegateId)
                                    .status()
                            == 404);
            assertThat(short_.api()
                            .get("/api/v1/delegates/" + staying.delegateId)
                            .status())
                    .as("a connected stable delegate stays")
                    .isEqualTo(200);
        }
    }

    private FakeDelegate ecs(String name, String taskArn) {
        return manager.delegate(name, "ecs-bridge")
                .with("type", "ECS")
                .with("launchType", "EC2")
                .with(
                        "ecs",
                        Map.of("taskArn", taskArn, "cluster", "prod", "networkMode", "bridge", "launchType", "EC2"));
    }

    private List<JsonNode> delegates() {
        List<JsonNode> result = new ArrayList<>();
        manager.api().get("/api/v1/delegates").json().get("delegates").forEach(result::add);
        return result;
    }

    private JsonNode delegate(String name) {
        return delegates().stream()
                .filter(d -> d.get("name").asText().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private String status(String name) {
        return delegate(name).get("status").asText();
    }

    private JsonNode group(String name) {
        for (JsonNode g : manager.api().get("/api/v1/delegate-groups").json().get("groups")) {
            if (g.get("name").asText().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("no group " + name);
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }
}
