package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * Issue 11 with real processes: a real Manager, a real delegate doing real work, and an attacker who
 * holds a delegate token of another group (or an account-wide one) and crafts protocol calls by hand.
 * Every attack is refused with its code and logged as a refusal, nothing changes, and the real delegate
 * keeps working; revoking the real delegate's token stops it (exit code 3) and reroutes its task.
 */
class SessionBindingE2ETest {
    private final List<AutoCloseable> running = new ArrayList<>();
    private Path work;
    private ManagerProcess manager;
    private Api api;

    @BeforeEach
    void startManager(TestInfo test) {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve(test.getTestMethod().orElseThrow().getName() + "-"
                        + UUID.randomUUID().toString().substring(0, 8));
        manager = track(ManagerProcess.start("manager", work.resolve("data"), 0, Map.of()));
        api = manager.api();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void forgedProgressOutcomeHeartbeatAndATakeoverAreRefusedWhileTheRealDelegateFinishesItsTask() {
        DelegateProcess legit = track(DelegateProcess.start(
                "legit", manager, "g1", Map.of("DELEGATE_NAME", "legit", "DELEGATE_TOKEN", boundToken("g1")), work));
        legit.awaitConnected();
        String legitId = api.delegate("legit").get("id").asText();
        FakeDelegate rogue = protocolDelegate("rogue", "g2", boundToken("g2"));
        assertThat(rogue.register().status()).isEqualTo(200);
        String taskId =
                api.submit(Map.of("type", "sleep", "payload", Map.of("seconds", 4), "selectors", List.of("g1")));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> api.task(taskId).get("state").asText().equals("RUNNING"));
        long fencingToken = 1; // fencing tokens count 1, 2, 3: the first lease's is 1

        TestHttp.Response progress = rogue.progress(taskId, fencingToken, "forged line");
        TestHttp.Response outcome = rogue.outcomes(Map.of(
                "taskId", taskId, "fencingToken", fencingToken, "status", "SUCCEEDED", "result", Map.of("forged", 1)));
        TestHttp.Response heartbeat = rogue.http()
                .post(
                        DelegateApiPaths.HEARTBEAT,
                        Map.of("delegateId", legitId, "sessionId", rogue.sessionId, "runningTaskIds", List.of()));
        TestHttp.Response takeover =
                protocolDelegate("legit", "g1", ManagerProcess.DELEGATE_TOKEN).register();

        assertRefused(progress, 403, "LEASE_NOT_YOURS");
        assertRefused(outcome, 403, "LEASE_NOT_YOURS");
        assertRefused(heartbeat, 403, "SESSION_INVALID");
        assertRefused(takeover, 409, "IDENTITY_IN_USE");
        manager.awaitOutput(
                Pattern.compile("Refused a delegate register call .*IDENTITY_IN_USE"), Duration.ofSeconds(5));
        assertThat(manager.output()).contains("Refused a delegate progress call", "Refused a delegate outcome call");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.task(taskId).get("state").asText().equals("SUCCEEDED"));
        JsonNode task = api.task(taskId);
        assertThat(task.get("delegateId").asText()).isEqualTo(legitId);
        assertThat(task.get("result").has("forged")).isFalse();
        assertThat(api.text("/api/v1/tasks/" + taskId + "/log")).doesNotContain("forged line");
        assertThat(api.delegate("legit").get("status").asText()).isEqualTo("CONNECTED");
        assertThat(legit.isAlive()).isTrue();
    }

    @Test
    void revokingTheTokenStopsTheRealDelegateWithExitCode3AndReroutesItsTask() {
        String tokenName = "legit-token";
        DelegateProcess legit = track(DelegateProcess.start(
                "legit",
                manager,
                "g1",
                Map.of("DELEGATE_NAME", "legit", "DELEGATE_TOKEN", boundToken("g1", tokenName)),
                work));
        legit.awaitConnected();
        String legitId = api.delegate("legit").get("id").asText();
        String taskId =
                api.submit(Map.of("type", "sleep", "payload", Map.of("seconds", 8), "selectors", List.of("g1")));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> api.task(taskId).get("state").asText().equals("RUNNING"));
        DelegateProcess backup =
                track(DelegateProcess.start("backup", manager, "g1", Map.of("DELEGATE_NAME", "backup"), work));
        backup.awaitConnected();
        FakeDelegate other = protocolDelegate("other", "g2", boundToken("g2"));
        assertThat(other.register().status()).isEqualTo(200);

        long revokedAt = System.nanoTime();
        assertThat(api.post("/api/v1/delegate-tokens/" + tokenId(tokenName) + "/revoke", Map.of())
                        .status())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(3))
                .until(() -> api.delegate("legit").get("status").asText().equals("DISCONNECTED"));
        assertThat(api.delegate("legit").get("disconnectReason").asText()).isEqualTo("token revoked");
        assertThat(legit.waitForExit(Duration.ofSeconds(10))).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(10));
        assertThat(legit.output()).contains("`" + tokenName + "` this delegate registered with was revoked");
        // Another token's session cannot keep the ended session alive.
        TestHttp.Response keepAlive = other.http()
                .post(
                        DelegateApiPaths.HEARTBEAT,
                        Map.of("delegateId", legitId, "sessionId", other.sessionId, "runningTaskIds", List.of()));
        assertRefused(keepAlive, 403, "SESSION_INVALID");
        TestHttp.Response withAccountToken = other.http()
                .withHeader("Authorization", "Bearer " + ManagerProcess.DELEGATE_TOKEN)
                .post(
                        DelegateApiPaths.HEARTBEAT,
                        Map.of("delegateId", legitId, "sessionId", other.sessionId, "runningTaskIds", List.of()));
        assertRefused(withAccountToken, 401, "SESSION_INVALID");
        assertThat(api.delegate("legit").get("status").asText()).isEqualTo("DISCONNECTED");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.task(taskId).get("state").asText().equals("SUCCEEDED"));
        assertThat(api.task(taskId).get("delegateId").asText())
                .isEqualTo(api.delegate("backup").get("id").asText());
    }

    private static void assertRefused(TestHttp.Response answer, int status, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.json().get("code").asText()).isEqualTo(code);
    }

    /** A delegate played at the protocol level by the test, with java.net.http, as an attacker would. */
    private FakeDelegate protocolDelegate(String name, String group, String token) {
        return new FakeDelegate(manager.url(), ManagerProcess.ACCOUNT_ID, token, name, group);
    }

    private String boundToken(String group) {
        return boundToken(
                group, "token-" + group + "-" + UUID.randomUUID().toString().substring(0, 6));
    }

    /** A token bound to {@code group}, which a short-lived registration with the account token creates first. */
    private String boundToken(String group, String tokenName) {
        FakeDelegate seed = protocolDelegate("seed-" + tokenName, group, ManagerProcess.DELEGATE_TOKEN);
        String groupId = seed.register().json().get("groupId").asText();
        seed.deregister();
        return api.post("/api/v1/delegate-tokens", Map.of("name", tokenName, "groupId", groupId))
                .json()
                .get("token")
                .asText();
    }

    private String tokenId(String name) {
        for (JsonNode t : api.get("/api/v1/delegate-tokens").json().get("tokens")) {
            if (t.get("name").asText().equals(name)) {
                return t.get("id").asText();
            }
        }
        throw new AssertionError("no token named " + name);
    }

    private <T extends AutoCloseable> T track(T process) {
        running.add(process);
        return process;
    }
}
