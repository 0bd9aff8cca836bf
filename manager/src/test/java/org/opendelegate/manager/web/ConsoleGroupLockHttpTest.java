package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;

/**
 * The Delegates page shows which groups are locked, which delegates registered with an account-wide token
 * and which selectors are only self-declared; an admin locks a group (the new bound token shown once) and
 * unlocks it from there.
 */
class ConsoleGroupLockHttpTest {
    private static TestManager manager;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void anUnlockedGroupIsLockedWithABoundTokenShownOnceAndUnlockedAgain() {
        FakeDelegate d = manager.delegate("fleet-1", "fleet").with("selectors", List.of("aws-prod"));
        d.register();
        String groupId = manager.api()
                .get("/api/v1/delegates/" + d.delegateId)
                .json()
                .get("groupId")
                .asText();
        ConsoleBrowser admin = manager.signedInAdmin();
        String csrf = admin.csrfToken();

        String board = admin.get("/setup/delegates/board").expectStatus(200).body();
        assertThat(board)
                .contains("id=\"lock-" + groupId + "\"", ">Unlocked<", "1 on an account-wide token")
                .contains("account-wide token</span>")
                .contains("title=\"Self-declared\">aws-prod</span>")
                .contains("self-declared: they do not route tasks that carry secrets");

        ConsoleBrowser.Page locked = admin.post(
                        "/setup/delegates/group-lock", Map.of("_csrf", csrf, "groupId", groupId), "HX-Request", "true")
                .expectStatus(200);

        String secret = locked.body().replaceAll("(?s).*id=\"locked-secret\" readonly value=\"([^\"]+)\".*", "$1");
        assertThat(secret).startsWith("odt_");
        assertThat(locked.body()).contains("Group fleet is locked", "fleet-1", "DELEGATE_TOKEN");
        assertThat(locked.header("HX-Trigger")).contains("Locked group fleet");
        assertThat(admin.get("/setup/delegates/board").body())
                .contains(">Locked<")
                .doesNotContain(secret);
        assertThat(manager.delegate("fleet-1", "fleet").register().status()).isEqualTo(403);

        ConsoleBrowser.Page unlocked = admin.post(
                        "/setup/delegates/group-unlock",
                        Map.of("_csrf", csrf, "groupId", groupId),
                        "HX-Request",
                        "true")
                .expectStatus(200);

        assertThat(unlocked.body()).contains(">Unlocked<");
        assertThat(manager.api()
                        .get("/api/v1/delegate-groups/" + groupId)
                        .json()
                        .get("locked")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void aLockWithoutCsrfOrGroupIsRefusedAndChangesNothing() {
        FakeDelegate d = manager.delegate("viewer-seen-1", "viewer-seen");
        d.register();
        String groupId = manager.api()
                .get("/api/v1/delegates/" + d.delegateId)
                .json()
                .get("groupId")
                .asText();
        ConsoleBrowser admin = manager.signedInAdmin();

        ConsoleBrowser.Page noCsrf =
                admin.post("/setup/delegates/group-lock", Map.of("groupId", groupId), "HX-Request", "true");
        ConsoleBrowser.Page noGroup =
                admin.post("/setup/delegates/group-lock", Map.of("_csrf", admin.csrfToken()), "HX-Request", "true");

        assertThat(noCsrf.status()).isEqualTo(403);
        assertThat(noGroup.status()).isIn(400, 422);
        assertThat(manager.api()
                        .get("/api/v1/delegate-groups/" + groupId)
                        .json()
                        .get("locked")
                        .asBoolean())
                .isFalse();
    }
}
