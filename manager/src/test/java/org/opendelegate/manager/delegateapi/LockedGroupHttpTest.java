package org.opendelegate.manager.delegateapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.AuditEvent;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * Locked delegate groups over HTTP: only tokens bound to a locked group register into it; groups an admin
 * or an installer download creates are locked, groups a registration creates are not; admins lock a group
 * (issuing a bound token) and unlock it, each audited.
 */
class LockedGroupHttpTest {
    private static final String VIEWER_KEY = "odk_locked-viewer-key-0123456789";

    private TestManager manager;
    private TestHttp api;

    @BeforeEach
    void start() {
        manager = TestManager.start();
        api = manager.api();
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void anAccountWideTokenCannotRegisterIntoALockedGroupAndNothingIsCreated() {
        TestHttp.Response created =
                api.post("/api/v1/delegate-groups", Map.of("name", "prod", "selectors", List.of("aws-prod")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("locked").asBoolean()).isTrue();
        String groupId = created.json().get("id").asText();

        TestHttp.Response refused = manager.delegate("rogue-1", "prod").register();

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("code").asText()).isEqualTo("GROUP_LOCKED");
        assertThat(refused.json().get("detail").asText()).contains("`prod` is locked", "Lock and issue a bound token");
        assertThat(api.get("/api/v1/delegates").json().get("delegates")).isEmpty();
        assertThat(api.get("/api/v1/delegate-profiles").body()).doesNotContain("rogue-1");
        AuditEvent refusal = audit("delegate-group", groupId).get(0);
        assertThat(refusal.action()).isEqualTo("delegate.refused");
        assertThat(refusal.detail()).contains("code=GROUP_LOCKED", "name=rogue-1");
    }

    @Test
    void aLockSentWithNoBodyAtAllNamesTheTokenItselfAndABodyThatIsNotJsonIsRefused() {
        String groupId = api.post("/api/v1/delegate-groups", Map.of("name", "bare"))
                .json()
                .get("id")
                .asText();

        TestHttp.Response notJson =
                api.postRaw("/api/v1/delegate-groups/" + groupId + "/lock", "text/plain", "tokenName=x");
        TestHttp.Response bare = api.postRaw("/api/v1/delegate-groups/" + groupId + "/lock", null, "");

        assertThat(notJson.status()).as(notJson.body()).isEqualTo(415);
        assertThat(bare.status()).as(bare.body()).isEqualTo(200);
        assertThat(bare.json().get("token").get("name").asText()).startsWith("bare-bound-");
    }

    @Test
    void aTokenBoundToTheLockedGroupRegistersIntoIt() {
        String groupId = api.post("/api/v1/delegate-groups", Map.of("name", "prod"))
                .json()
                .get("id")
                .asText();

        JsonNode locked = api.post("/api/v1/delegate-groups/" + groupId + "/lock", Map.of("tokenName", "prod-bound"))
                .json();
        FakeDelegate bound = manager.delegate(
                "prod-1",
                "prod",
                TestManager.ACCOUNT_ID,
                locked.get("token").get("token").asText());

        assertThat(bound.register().status()).isEqualTo(200);
        JsonNode listed = api.get("/api/v1/delegates/" + bound.delegateId).json();
        assertThat(listed.get("registeredWith").get("tokenName").asText()).isEqualTo("prod-bound");
        assertThat(listed.get("registeredWith").get("accountWide").asBoolean()).isFalse();
    }

    @Test
    void lockingAGroupIssuesABoundTokenAndNamesTheMembersThatUseAnAccountWideToken() {
        FakeDelegate old = manager.delegate("old-1", "fleet");
        assertThat(old.register().status()).isEqualTo(200);
        JsonNode group = api.get("/api/v1/delegate-groups").json().get("groups").get(0);
        assertThat(group.get("locked").asBoolean())
                .as("a group a registration created")
                .isFalse();
        assertThat(api.get("/api/v1/delegates/" + old.delegateId)
                        .json()
                        .get("registeredWith")
                        .get("accountWide")
                        .asBoolean())
                .isTrue();
        String groupId = group.get("id").asText();

        TestHttp.Response lock = api.post("/api/v1/delegate-groups/" + groupId + "/lock", Map.of());

        assertThat(lock.status()).as(lock.body()).isEqualTo(200);
        JsonNode answer = lock.json();
        assertThat(answer.get("group").get("locked").asBoolean()).isTrue();
        assertThat(answer.get("token").get("groupId").asText()).isEqualTo(groupId);
        assertThat(answer.get("token").get("name").asText()).startsWith("fleet-bound-");
        assertThat(answer.get("token").get("token").asText()).startsWith("odt_");
        assertThat(answer.get("accountWideDelegates").get(0).asText()).isEqualTo("old-1");
        assertThat(answer.get("redeploy").asText()).contains("old-1", "DELEGATE_TOKEN");
        assertThat(audit("delegate-group", groupId).get(0).action()).isEqualTo("delegate-group.locked-changed");
        TestHttp.Response again = manager.delegate("old-1", "fleet").register();
        assertThat(again.status()).as("a restart with the account-wide token").isEqualTo(403);
        assertThat(again.json().get("code").asText()).isEqualTo("GROUP_LOCKED");

        TestHttp.Response unlock = api.post("/api/v1/delegate-groups/" + groupId + "/unlock", Map.of());

        assertThat(unlock.status()).isEqualTo(200);
        assertThat(unlock.json().get("locked").asBoolean()).isFalse();
        assertThat(audit("delegate-group", groupId).get(0).detail()).contains("from=true to=false");
        assertThat(manager.delegate("old-1", "fleet").register().status()).isEqualTo(200);
    }

    @Test
    void badGroupChangesAreRefusedAndChangeNothing() {
        manager.seedAccount(TestManager.ACCOUNT_ID, VIEWER_KEY, Role.VIEWER, null);
        String groupId = api.post("/api/v1/delegate-groups", Map.of("name", "prod"))
                .json()
                .get("id")
                .asText();
        api.post("/api/v1/delegate-tokens", Map.of("name", "taken"));
        int tokensBefore =
                api.get("/api/v1/delegate-tokens").json().get("tokens").size();
        api.post("/api/v1/delegate-groups/" + groupId + "/unlock", Map.of());

        TestHttp.Response badName = api.post("/api/v1/delegate-groups", Map.of("name", "no spaces"));
        TestHttp.Response duplicate = api.post("/api/v1/delegate-groups", Map.of("name", "prod"));
        TestHttp.Response badSelector =
                api.post("/api/v1/delegate-groups", Map.of("name", "x", "selectors", List.of("a b")));
        TestHttp.Response viewerCreate = manager.api(VIEWER_KEY).post("/api/v1/delegate-groups", Map.of("name", "v"));
        TestHttp.Response viewerLock =
                manager.api(VIEWER_KEY).post("/api/v1/delegate-groups/" + groupId + "/lock", Map.of());
        TestHttp.Response viewerUnlock =
                manager.api(VIEWER_KEY).post("/api/v1/delegate-groups/" + groupId + "/unlock", Map.of());
        TestHttp.Response unknown = api.post("/api/v1/delegate-groups/nope/lock", Map.of());
        TestHttp.Response takenTokenName =
                api.post("/api/v1/delegate-groups/" + groupId + "/lock", Map.of("tokenName", "taken"));
        TestHttp.Response anonymous =
                manager.anonymous().post("/api/v1/delegate-groups/" + groupId + "/unlock", Map.of());

        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(badSelector.status()).isEqualTo(400);
        assertThat(viewerCreate.status()).isEqualTo(403);
        assertThat(viewerLock.status()).isEqualTo(403);
        assertThat(viewerUnlock.status()).isEqualTo(403);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(takenTokenName.status()).isEqualTo(409);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(api.get("/api/v1/delegate-groups").json().get("groups").findValuesAsText("name"))
                .containsExactly("prod");
        assertThat(api.get("/api/v1/delegate-groups/" + groupId)
                        .json()
                        .get("locked")
                        .asBoolean())
                .as("a refused lock leaves the group unlocked")
                .isFalse();
        assertThat(api.get("/api/v1/delegate-tokens").json().get("tokens")).hasSize(tokensBefore);
    }

    @Test
    void anInstallerDownloadCreatesALockedGroupAndLeavesAnExistingGroupAsItIs() {
        manager.delegate("old-1", "existing").register();

        TestHttp.Response fresh = api.post("/api/v1/installers/ecs", Map.of("delegateGroupName", "fresh"));
        TestHttp.Response existing = api.post("/api/v1/installers/ecs", Map.of("delegateGroupName", "existing"));

        assertThat(fresh.status()).isEqualTo(200);
        assertThat(existing.status()).isEqualTo(200);
        assertThat(lockedByName()).containsEntry("fresh", true).containsEntry("existing", false);
    }

    @Test
    void anInstallerDownloadCannotPickAnAccountWideTokenForALockedGroup() {
        api.post("/api/v1/delegate-groups", Map.of("name", "prod"));
        String accountWide = api.post("/api/v1/delegate-tokens", Map.of("name", "anywhere"))
                .json()
                .get("id")
                .asText();

        TestHttp.Response r = api.post(
                "/api/v1/installers/ecs",
                Map.of(
                        "delegateGroupName",
                        "prod",
                        "awsVpcMode",
                        true,
                        "tokenId",
                        accountWide,
                        "tokenSecretArn",
                        "arn:aws:ssm:us-east-1:123456789012:parameter/opendelegate/token"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("tokenId");
        assertThat(r.json().get("errors").get(0).get("message").asText()).contains("is locked");
    }

    private Map<String, Boolean> lockedByName() {
        Map<String, Boolean> result = new java.util.HashMap<>();
        api.get("/api/v1/delegate-groups")
                .json()
                .get("groups")
                .forEach(g -> result.put(g.get("name").asText(), g.get("locked").asBoolean()));
        return result;
    }

    private List<AuditEvent> audit(String targetType, String targetId) {
        try (Database db = Database.open(manager.server().config().store())) {
            return new AuditDao(db.jdbi()).listFor(TestManager.ACCOUNT_ID, targetType, targetId, 10);
        }
    }
}
