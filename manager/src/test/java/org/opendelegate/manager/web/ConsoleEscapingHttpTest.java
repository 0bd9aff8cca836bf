package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * Every console page and fragment that shows text a person or a delegate chose (group names, selectors,
 * profile names, provider names, task types, token names, user names, what a delegate says about itself)
 * shows it as text: each field carries its own script payload, and no answer may contain any payload as
 * markup, while the page that shows the field must contain its escaped form (so the check cannot pass by
 * the text not being there at all).
 */
class ConsoleEscapingHttpTest {
    private static final String TOKEN = xss(1);
    private static final String PROVIDER = xss(2);
    private static final String PROFILE = xss(3);
    private static final String DELEGATE_PROFILE = xss(4);
    private static final String DELEGATE = xss(5);
    private static final String DELEGATE_SELECTOR = "<svg onload=alert(6)>";
    private static final String HOSTNAME = "<script>alert(7)</script>";
    private static final String VERSION = "<b>8</b>";
    private static final String GROUP = xss(9);
    private static final String SELECTOR = xss(10);
    private static final String USERNAME = xss(11);
    private static final String TASK_TYPE = xss(12);
    private static final String TASK_FILTER = xss(13);
    private static final String PROFILE_SELECTOR = xss(14);
    private static final List<String> ALL = List.of(
            TOKEN,
            PROVIDER,
            PROFILE,
            DELEGATE_PROFILE,
            DELEGATE,
            DELEGATE_SELECTOR,
            HOSTNAME,
            VERSION,
            GROUP,
            SELECTOR,
            USERNAME,
            TASK_TYPE,
            TASK_FILTER,
            PROFILE_SELECTOR);

    private static TestManager manager;
    private static ConsoleBrowser admin;
    private static String csrf;
    private static String providerId;
    private static String profileId;
    private static String groupId;
    private static String taskId;
    private static String delegateId;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
        TestHttp api = manager.api();
        assertThat(api.post("/api/v1/delegate-tokens", Map.of("name", TOKEN)).status())
                .isEqualTo(201);
        TestHttp.Response provider = api.post(
                "/api/v1/cloud-providers",
                Map.of(
                        "name",
                        PROVIDER,
                        "type",
                        "AWS",
                        "region",
                        "us-east-1",
                        "credentials",
                        Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", List.of("aws"))));
        assertThat(provider.status()).as(provider.toString()).isEqualTo(201);
        providerId = provider.json().get("id").asText();
        TestHttp.Response profile = api.post(
                "/api/v1/delegate-profiles",
                Map.of(
                        "name",
                        PROFILE,
                        "description",
                        PROFILE,
                        "script",
                        "echo " + PROFILE,
                        "selectors",
                        List.of(),
                        "required",
                        false));
        assertThat(profile.status()).as(profile.toString()).isEqualTo(201);
        profileId = profile.json().get("id").asText();
        FakeDelegate evil = manager.delegate(DELEGATE, "web")
                .with("hostname", HOSTNAME)
                .with("version", VERSION)
                .with("selectors", List.of(DELEGATE_SELECTOR))
                .with("profileName", DELEGATE_PROFILE);
        assertThat(evil.register().status()).isEqualTo(200);
        delegateId = evil.delegateId;
        groupId = api.get("/api/v1/delegates/" + evil.delegateId)
                .json()
                .get("groupId")
                .asText();
        TestHttp.Response task = api.post("/api/v1/tasks", Map.of("type", "echo"));
        taskId = task.json().get("id").asText();
        JsonNode assignment = evil.take();
        evil.succeed(taskId, assignment.get("fencingToken").asLong(), Map.of());
        admin = manager.signedInAdmin();
        csrf = admin.csrfToken();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void pagesShowWhatPeopleAndDelegatesNamedAsText() {
        expectEscaped("/setup/delegates", DELEGATE, HOSTNAME, VERSION, DELEGATE_SELECTOR, DELEGATE_PROFILE, PROFILE);
        expectEscaped("/setup/delegates/board", DELEGATE, HOSTNAME, VERSION, DELEGATE_SELECTOR, DELEGATE_PROFILE);
        expectEscaped(
                "/setup/delegates/" + delegateId, DELEGATE, HOSTNAME, VERSION, DELEGATE_SELECTOR, DELEGATE_PROFILE);
        expectEscaped("/setup/delegate-tokens", TOKEN);
        expectEscaped("/setup/delegate-profiles", PROFILE, DELEGATE_PROFILE);
        expectEscaped("/setup/delegate-profiles/" + profileId, PROFILE);
        expectEscaped("/setup/delegate-profiles/" + profileId + "/edit", PROFILE);
        expectEscaped("/setup/cloud-providers", PROVIDER);
        expectEscaped("/setup/cloud-providers/" + providerId, PROVIDER);
        expectEscaped("/tasks", DELEGATE);
        expectEscaped("/tasks/table", DELEGATE);
        expectEscaped("/tasks/" + taskId, DELEGATE);
    }

    @Test
    void whatAFormOrAFilterEchoesBackIsText() {
        String filter = "?type=" + encode(TASK_TYPE) + "&q=" + encode(TASK_FILTER);
        expectEscaped("/tasks" + filter, TASK_TYPE, TASK_FILTER);
        expectEscaped("/tasks/table" + filter);

        expectEscaped(
                "group selectors refused",
                admin.post(
                        "/setup/delegates/group-selectors",
                        Map.of("_csrf", csrf, "groupId", groupId, "selector", SELECTOR),
                        "HX-Request",
                        "true"),
                SELECTOR);
        expectEscaped(
                "ECS download refused",
                admin.post(
                        "/setup/delegates/download/ecs",
                        Map.of("_csrf", csrf, "delegateGroupName", GROUP, "awsVpcMode", "true"),
                        "HX-Request",
                        "true"),
                GROUP);
        expectEscaped(
                "user refused",
                admin.post(
                        "/setup/users",
                        Map.of(
                                "_csrf",
                                csrf,
                                "username",
                                USERNAME,
                                "role",
                                "VIEWER",
                                "password",
                                "long-enough-password-1"),
                        "HX-Request",
                        "true"),
                USERNAME);
        expectEscaped(
                "token refused as a duplicate",
                admin.post("/setup/delegate-tokens", Map.of("_csrf", csrf, "name", TOKEN), "HX-Request", "true"),
                TOKEN);
        expectEscaped(
                "profile refused for its selector",
                admin.post(
                        "/setup/delegate-profiles",
                        Map.of("_csrf", csrf, "name", "fine", "script", "", "selector", PROFILE_SELECTOR),
                        "HX-Request",
                        "true"),
                PROFILE_SELECTOR);
        expectEscaped(
                "profile refused as a duplicate",
                admin.post(
                        "/setup/delegate-profiles",
                        Map.of("_csrf", csrf, "name", PROFILE, "script", ""),
                        "HX-Request",
                        "true"),
                PROFILE);
        expectEscaped(
                "provider refused as a duplicate",
                admin.post(
                        "/setup/cloud-providers",
                        Map.of(
                                "_csrf",
                                csrf,
                                "name",
                                PROVIDER,
                                "region",
                                "us-east-1",
                                "mode",
                                "DELEGATE_IAM_ROLE",
                                "selector",
                                "aws"),
                        "HX-Request",
                        "true"),
                PROVIDER);
    }

    private static void expectEscaped(String path, String... shown) {
        expectEscaped(path, admin.get(path), shown);
    }

    private static void expectEscaped(String what, ConsoleBrowser.Page page, String... shown) {
        assertThat(page.status()).as("%s answered %s", what, page.status()).isLessThan(500);
        for (String payload : ALL) {
            // Without its last '>': a tag opened in the markup is already an injection.
            String opening = payload.substring(0, payload.length() - 1);
            assertThat(page.body()).as("%s shows %s as markup", what, payload).doesNotContain(opening);
        }
        // Inside an attribute value '>' may stay as it is; what makes text of it is its '<' escaped.
        String text = page.body().replace("&gt;", ">");
        for (String payload : shown) {
            assertThat(text)
                    .as("%s shows %s as text", what, payload)
                    .contains(payload.replace("&", "&amp;").replace("<", "&lt;"));
        }
    }

    /** Runs script if a page writes it as markup; without quotes, so it reads the same in any context. */
    private static String xss(int n) {
        return "<img src=x onerror=alert(" + n + ")>";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
