package org.opendelegate.manager.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.TestHttp;

/** {@code GET /api/v1/audit} and Administration → Audit: filters, paging, who may read, bad filters. */
class AuditHttpTest {
    private static final String VIEWER_KEY = "odk_audit-viewer-key-0123456789";
    private static final String OTHER_ADMIN_KEY = "odk_audit-other-admin-0123456789";
    private static TestManager manager;
    private static String kimId;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
        manager.seedAccount(TestManager.ACCOUNT_ID, VIEWER_KEY, Role.VIEWER, null);
        manager.seedAccount("acct-other", OTHER_ADMIN_KEY, Role.ADMIN, null);
        TestHttp.Response kim = manager.api()
                .post("/api/v1/users", Map.of("username", "kim", "role", "VIEWER", "password", "kim-password-123"));
        kimId = kim.json().get("id").asText();
        ConsoleBrowser browser = manager.browser();
        browser.signIn("kim", "wrong-password-123").expectStatus(401);
        browser.signIn("nobody-here", "wrong-password-123").expectStatus(401);
        browser.signIn("kim", "kim-password-123").expectStatus(303);
        browser.post("/logout", Map.of("_csrf", browser.csrfToken())).expectStatus(303);
        manager.api().patch("/api/v1/users/" + kimId, Map.of("disabled", true));
        manager.api().patch("/api/v1/users/" + kimId, Map.of("disabled", false));
        manager.api().patch("/api/v1/users/" + kimId, Map.of("role", "ADMIN"));
        manager.api().patch("/api/v1/users/" + kimId, Map.of("role", "VIEWER"));
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void signInsFailuresSignOutsAndUserChangesAreRecordedAndFilterable() {
        List<JsonNode> kim = events("targetType=user&targetId=" + kimId);

        assertThat(kim)
                .extracting(e -> e.get("action").asText())
                .containsExactly(
                        "user.role_changed",
                        "user.role_changed",
                        "user.enabled",
                        "user.disabled",
                        "user.signed-out",
                        "user.signed-in",
                        "user.sign-in-failed",
                        "user.created");
        assertThat(kim.get(6).get("detail").asText()).contains("username=kim", "address=127.0.0.1");
        assertThat(kim.get(0).get("detail").asText()).contains("from=ADMIN to=VIEWER");
        assertThat(kim.get(3).get("actor").asText()).isEqualTo("api-key:bootstrap-admin");
        List<JsonNode> unknown = events("action=user.sign-in-failed");
        assertThat(unknown)
                .anySatisfy(e ->
                        assertThat(e.get("detail").asText()).contains("username=nobody-here", "reason=unknown-user"));
        assertThat(events("action=user.*&actor=user:kim"))
                .extracting(e -> e.get("action").asText())
                .containsExactly("user.signed-out", "user.signed-in");
    }

    @Test
    void pagesAreNewestFirstWithoutOverlapAndTheLastPageSaysSo() {
        List<JsonNode> all = events("limit=200");
        List<Long> paged = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            JsonNode page = manager.api()
                    .get("/api/v1/audit?limit=3" + (before == null ? "" : "&before=" + before))
                    .json();
            page.get("events").forEach(e -> paged.add(e.get("id").asLong()));
            before = page.hasNonNull("nextBefore") ? page.get("nextBefore").asText() : null;
            pages++;
        } while (before != null && pages < 100);

        assertThat(paged).isEqualTo(all.stream().map(e -> e.get("id").asLong()).toList());
        assertThat(paged).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(manager.api().get("/api/v1/audit").json().get("limit").asInt())
                .isEqualTo(50);
    }

    @Test
    void aTimeWindowSelectsOnlyItsEvents() {
        Instant future = Instant.now().plusSeconds(3600);
        assertThat(events("from=" + future)).isEmpty();
        assertThat(events("to=2000-01-01T00:00:00Z")).isEmpty();
        assertThat(events("from=2000-01-01T00:00:00Z&to=" + future)).isNotEmpty();
    }

    @Test
    void onlyAdminsOfTheAccountReadIt() {
        assertThat(manager.api(VIEWER_KEY).get("/api/v1/audit").status()).isEqualTo(403);
        assertThat(manager.anonymous().get("/api/v1/audit").status()).isEqualTo(401);
        assertThat(manager.api(OTHER_ADMIN_KEY).get("/api/v1/audit").body()).doesNotContain(kimId, "kim");
        ConsoleBrowser viewer = manager.browser();
        manager.api()
                .post("/api/v1/users", Map.of("username", "lee", "role", "VIEWER", "password", "lee-password-123"));
        viewer.signIn("lee", "lee-password-123").expectStatus(303);
        assertThat(viewer.get("/setup/audit").status()).isEqualTo(403);
        assertThat(viewer.get("/setup/users").body()).doesNotContain("href=\"/setup/audit\"");
    }

    @Test
    void badFiltersAreRefusedNamingEveryField() {
        TestHttp.Response bad = manager.api()
                .get("/api/v1/audit?limit=0&before=-1&from=yesterday&action=" + enc("BAD ACTION") + "&actor="
                        + enc("a\u0001b") + "&targetType=" + enc("x".repeat(60)));

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors"))
                .extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("limit", "before", "from", "action", "actor", "targetType");
        assertThat(manager.api().get("/api/v1/audit?limit=201").status()).isEqualTo(400);
        assertThat(manager.api().get("/api/v1/audit?limit=abc").status()).isEqualTo(400);
        assertThat(manager.api()
                        .get("/api/v1/audit?before=99999999999999999999")
                        .status())
                .isEqualTo(400);
        TestHttp.Response backwards =
                manager.api().get("/api/v1/audit?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z");
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.json().get("detail").asText()).contains("must be after `from`");
    }

    @Test
    void theConsolePageListsFiltersAndPagesWithAGetForm() {
        ConsoleBrowser admin = manager.signedInAdmin();

        String page = admin.get("/setup/audit?action=user.*&targetId=" + kimId).body();

        assertThat(page).contains("user.disabled", "user.role_changed", "kim", "method=\"get\"");
        assertThat(page).doesNotContain("delegate-token.created");
        String paged = admin.get("/setup/audit?limit=1").body();
        assertThat(paged).contains("id=\"audit-older\"", "/setup/audit?before=");
        ConsoleBrowser.Page bad = admin.get("/setup/audit?from=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("must be an ISO-8601 time");
    }

    private static List<JsonNode> events(String query) {
        TestHttp.Response r = manager.api().get("/api/v1/audit?" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        r.json().get("events").forEach(list::add);
        return list;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
