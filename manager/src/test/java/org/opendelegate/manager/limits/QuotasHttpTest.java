package org.opendelegate.manager.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.AuditEvent;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * Per-account quotas against a real Manager: each is enforced where its thing is created (registration,
 * API), refuses with 409 QUOTA_REACHED naming the setting and its value, changes nothing, is counted in
 * /metrics and audited as {@code limit.refused}.
 */
class QuotasHttpTest {
    private TestManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void aRegistrationOverTheDelegateQuotaIsRefusedAndAKnownDelegateStillComesBack() {
        manager = TestManager.start(Map.of("OPENDELEGATE_MAX_DELEGATES", "2"));
        FakeDelegate d1 = manager.delegate("d1", "g");
        assertThat(d1.register().status()).isEqualTo(200);
        assertThat(manager.delegate("d2", "g").register().status()).isEqualTo(200);

        TestHttp.Response third = manager.delegate("d3", "g").register();

        assertQuotaRefusal(third, "OPENDELEGATE_MAX_DELEGATES", 2);
        assertThat(third.json().get("detail").asText()).contains("2 of 2 delegates", "`d3`");
        assertThat(names("/api/v1/delegates", "delegates")).containsExactlyInAnyOrder("d1", "d2");
        // A delegate that exists takes no new place: it registers again (a restart) as before.
        assertThat(d1.register().status()).isEqualTo(200);
        assertThat(metrics()).contains("opendelegate_limit_refusals_total{limit=\"OPENDELEGATE_MAX_DELEGATES\"} 1.0");
        assertThat(refusalsAudited()).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("delegate-token:default");
            assertThat(e.targetType()).isEqualTo("delegate");
            assertThat(e.targetId()).isEqualTo("d3");
            assertThat(e.detail()).contains("limit=OPENDELEGATE_MAX_DELEGATES value=2");
        });
    }

    @Test
    void aRegistrationThatWouldCreateAGroupOrProfileOverQuotaCreatesNothing() {
        manager = TestManager.start(Map.of("OPENDELEGATE_MAX_GROUPS", "1", "OPENDELEGATE_MAX_PROFILES", "1"));
        assertThat(manager.delegate("d1", "g1").register().status()).isEqualTo(200);

        TestHttp.Response newGroup = manager.delegate("d2", "g2").register();
        TestHttp.Response newProfile =
                manager.delegate("d3", "g1").with("profileName", "Builders").register();

        assertQuotaRefusal(newGroup, "OPENDELEGATE_MAX_GROUPS", 1);
        assertQuotaRefusal(newProfile, "OPENDELEGATE_MAX_PROFILES", 1);
        assertThat(names("/api/v1/delegates", "delegates")).containsExactly("d1");
        assertThat(names("/api/v1/delegate-groups", "groups")).containsExactly("g1");
        assertThat(names("/api/v1/delegate-profiles", "profiles")).containsExactly("Primary");
    }

    @Test
    void creationThroughTheApiIsRefusedAtEachQuota() {
        manager = TestManager.start(Map.of(
                "OPENDELEGATE_MAX_GROUPS", "1",
                "OPENDELEGATE_MAX_PROFILES", "2",
                "OPENDELEGATE_MAX_DELEGATE_TOKENS", "2",
                "OPENDELEGATE_MAX_CLOUD_PROVIDERS", "1"));
        TestHttp api = manager.api();
        // The bootstrap made one token and the Primary profile: one more of each fits.
        assertThat(api.post("/api/v1/delegate-groups", Map.of("name", "g1")).status())
                .isEqualTo(201);
        assertThat(api.post("/api/v1/delegate-profiles", Map.of("name", "p1", "script", "true"))
                        .status())
                .isEqualTo(201);
        assertThat(api.post("/api/v1/delegate-tokens", Map.of("name", "t1")).status())
                .isEqualTo(201);
        assertThat(api.post("/api/v1/cloud-providers", provider("c1")).status()).isEqualTo(201);

        assertQuotaRefusal(api.post("/api/v1/delegate-groups", Map.of("name", "g2")), "OPENDELEGATE_MAX_GROUPS", 1);
        assertQuotaRefusal(
                api.post("/api/v1/delegate-profiles", Map.of("name", "p2", "script", "true")),
                "OPENDELEGATE_MAX_PROFILES",
                2);
        assertQuotaRefusal(
                api.post("/api/v1/delegate-tokens", Map.of("name", "t2")), "OPENDELEGATE_MAX_DELEGATE_TOKENS", 2);
        assertQuotaRefusal(api.post("/api/v1/cloud-providers", provider("c2")), "OPENDELEGATE_MAX_CLOUD_PROVIDERS", 1);

        assertThat(names("/api/v1/delegate-groups", "groups")).containsExactly("g1");
        assertThat(names("/api/v1/delegate-profiles", "profiles")).containsExactlyInAnyOrder("Primary", "p1");
        assertThat(names("/api/v1/delegate-tokens", "tokens")).hasSize(2).doesNotContain("t2");
        assertThat(names("/api/v1/cloud-providers", "cloudProviders")).containsExactly("c1");
        assertThat(refusalsAudited())
                .extracting(AuditEvent::actor)
                .containsOnly("api-key:bootstrap-admin")
                .hasSize(4);
        // A revoked token takes no place: revoking one makes room for a new one.
        String t1 = api.get("/api/v1/delegate-tokens").json().get("tokens").findValues("id").stream()
                .map(JsonNode::asText)
                .filter(id -> api.get("/api/v1/delegate-tokens/" + id)
                        .json()
                        .get("name")
                        .asText()
                        .equals("t1"))
                .findFirst()
                .orElseThrow();
        assertThat(api.post("/api/v1/delegate-tokens/" + t1 + "/revoke", Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/api/v1/delegate-tokens", Map.of("name", "t3")).status())
                .isEqualTo(201);
    }

    @Test
    void anEcsOrShellDownloadThatWouldCreateAGroupOverQuotaCreatesNeitherGroupNorToken() {
        manager = TestManager.start(Map.of("OPENDELEGATE_MAX_GROUPS", "1"));
        TestHttp api = manager.api();
        assertThat(api.post("/api/v1/delegate-groups", Map.of("name", "g1")).status())
                .isEqualTo(201);
        int tokensBefore = names("/api/v1/delegate-tokens", "tokens").size();

        TestHttp.Response download =
                api.post("/api/v1/installers/ecs", Map.of("delegateGroupName", "g2", "awsVpcMode", true));

        assertQuotaRefusal(download, "OPENDELEGATE_MAX_GROUPS", 1);
        assertThat(names("/api/v1/delegate-groups", "groups")).containsExactly("g1");
        assertThat(names("/api/v1/delegate-tokens", "tokens")).hasSize(tokensBefore);

        TestHttp.Response shell = api.post("/api/v1/installers/shell", Map.of("delegateGroupName", "g2"));

        assertQuotaRefusal(shell, "OPENDELEGATE_MAX_GROUPS", 1);
        assertThat(names("/api/v1/delegate-groups", "groups")).containsExactly("g1");
        assertThat(names("/api/v1/delegate-tokens", "tokens")).hasSize(tokensBefore);
    }

    @Test
    void anEcsOrShellDownloadThatWouldCreateATokenOverQuotaCreatesNeitherTokenNorGroup() {
        manager = TestManager.start(Map.of("OPENDELEGATE_MAX_DELEGATE_TOKENS", "1"));
        TestHttp api = manager.api();
        assertThat(api.post("/api/v1/delegate-groups", Map.of("name", "existing"))
                        .status())
                .isEqualTo(201);
        List<String> groupsBefore = names("/api/v1/delegate-groups", "groups");
        // The bootstrap's token fills the quota of one: the download would make a second.

        TestHttp.Response ecs =
                api.post("/api/v1/installers/ecs", Map.of("delegateGroupName", "new-group", "awsVpcMode", true));

        assertQuotaRefusal(ecs, "OPENDELEGATE_MAX_DELEGATE_TOKENS", 1);
        assertThat(names("/api/v1/delegate-tokens", "tokens")).hasSize(1);
        assertThat(names("/api/v1/delegate-groups", "groups")).isEqualTo(groupsBefore);

        // The shell installer always issues a new token, into a new group or an existing one.
        for (String group : List.of("new-group", "existing")) {
            TestHttp.Response shell = api.post(
                    "/api/v1/installers/shell", Map.of("delegateGroupName", group, "tokenName", "shell-" + group));

            assertQuotaRefusal(shell, "OPENDELEGATE_MAX_DELEGATE_TOKENS", 1);
            assertThat(names("/api/v1/delegate-tokens", "tokens")).hasSize(1);
            assertThat(names("/api/v1/delegate-groups", "groups")).isEqualTo(groupsBefore);
        }
        assertThat(metrics())
                .contains("opendelegate_limit_refusals_total{limit=\"OPENDELEGATE_MAX_DELEGATE_TOKENS\"} 3.0");
    }

    private static Map<String, Object> provider(String name) {
        return Map.of(
                "name",
                name,
                "type",
                "AWS",
                "region",
                "us-east-1",
                "credentials",
                Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", List.of("aws")));
    }

    static void assertQuotaRefusal(TestHttp.Response r, String limit, long value) {
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("QUOTA_REACHED");
        assertThat(r.json().get("limit").asText()).isEqualTo(limit);
        assertThat(r.json().get("value").asLong()).isEqualTo(value);
        assertThat(r.json().get("detail").asText()).contains(limit);
    }

    private List<String> names(String path, String field) {
        JsonNode list = manager.api().get(path).json().get(field);
        List<String> names = new ArrayList<>();
        list.forEach(n -> names.add(n.get("name").asText()));
        return names;
    }

    private String metrics() {
        return manager.anonymous().get("/metrics").body();
    }

    private List<AuditEvent> refusalsAudited() {
        try (Database db = Database.open(manager.server().config().store())) {
            return new AuditDao(db.jdbi())
                    .list(TestManager.ACCOUNT_ID, 1000).stream()
                            .filter(e -> e.action().equals("limit.refused"))
                            .toList();
        }
    }
}
