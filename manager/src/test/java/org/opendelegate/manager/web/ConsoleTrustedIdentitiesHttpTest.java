package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;

/** Setup → Delegates → a group's trusted AWS identities: shown, edited, and bad ARNs refused in place. */
class ConsoleTrustedIdentitiesHttpTest {
    private TestManager manager;
    private String path;

    @BeforeEach
    void start() {
        manager = TestManager.start();
        manager.delegate("seed", "ecs-iam").register();
        String groupId = manager.api()
                .get("/api/v1/delegate-groups")
                .json()
                .get("groups")
                .get(0)
                .get("id")
                .asText();
        path = "/setup/delegates/groups/" + groupId + "/trusted-identities";
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void anAdminSetsTheGroupsTrustedRoleAndSeesItStoredAsAnySessionOfTheRole() {
        ConsoleBrowser admin = manager.signedInAdmin();
        assertThat(admin.get("/setup/delegates").body()).contains("href=\"" + path + "\"");
        assertThat(admin.get(path).body()).contains("trusts no AWS identity");

        ConsoleBrowser.Page saved = admin.post(
                path,
                Map.of("_csrf", admin.csrfToken(), "trustedIdentities", "arn:aws:iam::123456789012:role/od-task\n"),
                "HX-Request",
                "true");

        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.header("HX-Trigger")).contains("od:toast");
        assertThat(saved.body()).contains("arn:aws:sts::123456789012:assumed-role/od-task/*");
        assertThat(manager.api()
                        .get("/api/v1"
                                + path.substring("/setup".length()).replace("delegates/groups", "delegate-groups"))
                        .body())
                .contains("arn:aws:sts::123456789012:assumed-role/od-task/*");
    }

    @Test
    void aBadArnIsRefusedNamingTheLineAndNothingChanges() {
        ConsoleBrowser admin = manager.signedInAdmin();

        ConsoleBrowser.Page refused = admin.post(
                path,
                Map.of(
                        "_csrf",
                        admin.csrfToken(),
                        "trustedIdentities",
                        "arn:aws:iam::123456789012:role/ok\nnot-an-arn"),
                "HX-Request",
                "true");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.header("HX-Retarget")).isEqualTo("#trust-error");
        assertThat(refused.body()).contains("not-an-arn");
        assertThat(admin.get(path).body()).contains("trusts no AWS identity");
    }
}
