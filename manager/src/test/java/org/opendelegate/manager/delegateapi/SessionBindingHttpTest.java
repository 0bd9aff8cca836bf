package org.opendelegate.manager.delegateapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.AuditEvent;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.ProtocolVersion;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * Issue 11, the rules that bind every delegate call to its session: the session credential, the lease
 * ids, the live token behind a session, and identities that cannot be taken over. Each rule is broken once
 * here; each refusal carries its code, is audited, and changes nothing.
 */
class SessionBindingHttpTest {
    private TestManager manager;
    private FakeDelegate legit;
    private JsonNode assignment;
    private String taskId;

    @BeforeEach
    void start() {
        manager = TestManager.start();
        legit = manager.delegate("legit", "g1");
        legit.register();
        taskId = manager.api()
                .post("/api/v1/tasks", Map.of("type", "echo", "selectors", List.of("g1")))
                .json()
                .get("id")
                .asText();
        assignment = legit.take();
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void registrationAnswersARandomSessionCredentialThatLaterCallsMustPresent() {
        assertThat(legit.sessionToken).startsWith("ods_").hasSizeGreaterThan(40);
        assertThat(assignment.get("leaseId").asText()).startsWith("odl_").hasSizeGreaterThan(40);

        TestHttp.Response withDelegateToken = legit.http()
                .withHeader("Authorization", "Bearer " + TestManager.DELEGATE_TOKEN)
                .post(DelegateApiPaths.HEARTBEAT, heartbeat(legit));

        assertThat(withDelegateToken.status()).isEqualTo(401);
        assertThat(withDelegateToken.json().get("code").asText()).isEqualTo("SESSION_INVALID");
        assertThat(legit.heartbeat(taskId).status()).isEqualTo(200);
        assertThat(refusals()).anyMatch(e -> e.detail().startsWith("code=SESSION_INVALID"));
    }

    @Test
    void protocolOneIsRefused() {
        TestHttp.Response old =
                legit.http().withHeader(ProtocolVersion.HEADER, "1").post(DelegateApiPaths.HEARTBEAT, heartbeat(legit));

        assertThat(old.status()).isEqualTo(400);
        assertThat(old.json().get("code").asText()).isEqualTo("UNSUPPORTED_PROTOCOL");
        assertThat(old.json().get("detail").asText()).contains("Upgrade the delegate image");
    }

    @Test
    void aSessionCredentialCannotSpeakForAnotherDelegate() {
        FakeDelegate rogue = rogueInAnotherGroup();

        TestHttp.Response forged = rogue.http().post(DelegateApiPaths.HEARTBEAT, heartbeat(legit));

        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.json().get("code").asText()).isEqualTo("SESSION_INVALID");
        TestHttp.Response ownSessionOtherDelegate = rogue.http()
                .post(
                        DelegateApiPaths.HEARTBEAT,
                        Map.of(
                                "delegateId",
                                legit.delegateId,
                                "sessionId",
                                rogue.sessionId,
                                "runningTaskIds",
                                List.of()));
        assertThat(ownSessionOtherDelegate.status()).isEqualTo(403);
        assertThat(ownSessionOtherDelegate.json().get("code").asText()).isEqualTo("SESSION_INVALID");
        assertThat(refusals())
                .anyMatch(e -> e.actor().equals("delegate:" + rogue.delegateId)
                        && e.detail().startsWith("code=SESSION_INVALID"));
        assertThat(legit.heartbeat(taskId).status()).isEqualTo(200);
    }

    @Test
    void forgedProgressAndOutcomeWithTheRightFencingTokenAreRefusedAndTheRealOutcomeLands() {
        FakeDelegate rogue = rogueInAnotherGroup();
        long fencingToken = assignment.get("fencingToken").asLong();

        TestHttp.Response progress = rogue.progress(taskId, fencingToken, "forged line");
        TestHttp.Response outcome = rogue.outcomes(Map.of(
                "taskId", taskId, "fencingToken", fencingToken, "status", "SUCCEEDED", "result", Map.of("f", 1)));
        TestHttp.Response ownSessionNoLeaseId = legit.outcomes(
                Map.of("taskId", taskId, "fencingToken", fencingToken, "status", "SUCCEEDED", "result", Map.of()));
        TestHttp.Response ownSessionOtherLeaseId = legit.outcomes(Map.of(
                "taskId",
                taskId,
                "fencingToken",
                fencingToken,
                "leaseId",
                "odl_guessed",
                "status",
                "SUCCEEDED",
                "result",
                Map.of()));

        for (TestHttp.Response refused : List.of(progress, outcome, ownSessionNoLeaseId, ownSessionOtherLeaseId)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.json().get("code").asText()).isEqualTo("LEASE_NOT_YOURS");
        }
        assertThat(task().get("state").asText()).isEqualTo("RUNNING");
        assertThat(manager.api().get("/api/v1/tasks/" + taskId + "/log").body()).doesNotContain("forged line");
        assertThat(refusals())
                .filteredOn(e -> e.detail().startsWith("code=LEASE_NOT_YOURS"))
                .hasSize(4);

        assertThat(legit.progress(taskId, fencingToken, "real line").status()).isEqualTo(200);
        assertThat(legit.succeed(taskId, fencingToken, Map.of("real", true))
                        .get("disposition")
                        .asText())
                .isEqualTo("APPLIED");
        assertThat(task().get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(task().get("result").get("real").asBoolean()).isTrue();
    }

    @Test
    void revokingTheTokenEndsTheSessionAtTheNextCallAndReroutesItsTask() {
        String tokenId = tokenIdNamed("default");
        FakeDelegate bound = withBoundToken("bound", "g1");

        manager.api().post("/api/v1/delegate-tokens/" + tokenId + "/revoke", Map.of());
        TestHttp.Response heartbeat = legit.heartbeat(taskId);

        assertThat(heartbeat.status()).isEqualTo(401);
        assertThat(heartbeat.json().get("code").asText()).isEqualTo("TOKEN_REVOKED");
        JsonNode listed =
                manager.api().get("/api/v1/delegates/" + legit.delegateId).json();
        assertThat(listed.get("status").asText()).isEqualTo("DISCONNECTED");
        assertThat(task().get("state").asText()).isEqualTo("QUEUED");
        assertThat(refusals()).anyMatch(e -> e.detail().startsWith("code=TOKEN_REVOKED"));
        // Another token cannot keep the ended session alive: calls are authenticated by the session now.
        TestHttp.Response withAnotherToken = legit.http()
                .withHeader("Authorization", "Bearer " + bound.sessionToken)
                .post(DelegateApiPaths.HEARTBEAT, heartbeat(legit));
        assertThat(withAnotherToken.status()).isEqualTo(403);
        assertThat(legit.heartbeat().json().get("code").asText()).isEqualTo("TOKEN_REVOKED");
        assertThat(bound.take().get("taskId").asText()).isEqualTo(taskId);
    }

    @Test
    void aLiveIdentityCannotBeTakenOverByAnotherTokenButTheSameTokenOrItsSessionMayComeBack() {
        FakeDelegate takeover = withBoundTokenUnregistered("legit", "g1");

        TestHttp.Response refused = takeover.register();

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asText()).isEqualTo("IDENTITY_IN_USE");
        assertThat(refusals()).anyMatch(e -> e.detail().startsWith("code=IDENTITY_IN_USE"));
        assertThat(legit.heartbeat(taskId).status()).isEqualTo(200);

        String delegateId = legit.delegateId;
        assertThat(legit.registerWithSession().status()).isEqualTo(200);
        assertThat(legit.delegateId).isEqualTo(delegateId);
        assertThat(legit.heartbeat(taskId).status()).isEqualTo(200);
        assertThat(manager.delegate("legit", "g1").register().status()).isEqualTo(200);
    }

    @Test
    void aReplacedSessionCredentialCannotRegisterAgainThoughItWasJustUsedAndKept() {
        assertThat(legit.heartbeat(taskId).status()).isEqualTo(200); // the Manager now keeps the credential
        FakeDelegate sameName = manager.delegate("legit", "g1");
        assertThat(sameName.register().status()).isEqualTo(200);

        TestHttp.Response again = legit.registerWithSession();

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asText()).isEqualTo("SESSION_REPLACED");
        assertThat(sameName.heartbeat().status()).isEqualTo(200);
    }

    @Test
    void aSessionCredentialReRegistersOnlyItsOwnDelegateInItsOwnGroup() {
        TestHttp.Response elsewhere =
                legit.http().post(DelegateApiPaths.REGISTER, FakeDelegate.registration("legit", "g2"));

        assertThat(elsewhere.status()).isEqualTo(403);
        assertThat(elsewhere.json().get("code").asText()).isEqualTo("SESSION_INVALID");
        assertThat(legit.heartbeat(taskId).status()).isEqualTo(200);
    }

    /** A delegate of group g2 that registered with a token bound to g2, as an attacker with that token. */
    private FakeDelegate rogueInAnotherGroup() {
        return withBoundToken("rogue", "g2");
    }

    private FakeDelegate withBoundToken(String name, String group) {
        FakeDelegate d = withBoundTokenUnregistered(name, group);
        assertThat(d.register().status()).isEqualTo(200);
        return d;
    }

    private FakeDelegate withBoundTokenUnregistered(String name, String group) {
        FakeDelegate seed = manager.delegate("seed-" + name, group);
        String groupId = seed.register().json().get("groupId").asText();
        seed.deregister();
        String token = manager.api()
                .post("/api/v1/delegate-tokens", Map.of("name", "token-" + name, "groupId", groupId))
                .json()
                .get("token")
                .asText();
        return manager.delegate(name, group, TestManager.ACCOUNT_ID, token);
    }

    private String tokenIdNamed(String name) {
        for (JsonNode t : manager.api().get("/api/v1/delegate-tokens").json().get("tokens")) {
            if (t.get("name").asText().equals(name)) {
                return t.get("id").asText();
            }
        }
        throw new AssertionError("no token named " + name);
    }

    private static Map<String, Object> heartbeat(FakeDelegate d) {
        return Map.of("delegateId", d.delegateId, "sessionId", d.sessionId, "runningTaskIds", List.of());
    }

    private JsonNode task() {
        return manager.api().get("/api/v1/tasks/" + taskId).json();
    }

    private List<AuditEvent> refusals() {
        try (Database db = Database.open(manager.server().config().store())) {
            return new AuditDao(db.jdbi())
                    .list(TestManager.ACCOUNT_ID, 200).stream()
                            .filter(e -> e.action().equals("delegate.refused"))
                            .toList();
        }
    }
}
