package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;

/**
 * Deployments → Deploy over HTTP: the nav entry, the form offered to operators with the account's providers, refused
 * to viewers, and the form's own mistakes shown next to their fields with what was typed, before anything is
 * submitted.
 */
class ConsoleDeployHttpTest {
    private static TestManager manager;
    private static String providerId;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
        manager.api()
                .post("/api/v1/users", Map.of("username", "olga", "role", "OPERATOR", "password", "olga-runs-tasks-1"));
        manager.api()
                .post("/api/v1/users", Map.of("username", "vera", "role", "VIEWER", "password", "vera-looks-only-1"));
        providerId = manager.api()
                .post(
                        "/api/v1/cloud-providers",
                        Map.of(
                                "name",
                                "AWS <prod>",
                                "type",
                                "AWS",
                                "region",
                                "eu-west-1",
                                "credentials",
                                Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", List.of("aws-prod"))))
                .json()
                .get("id")
                .asText();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void anOperatorGetsTheFormStartingFromTheOnlyProviderAndItsRegion() {
        ConsoleBrowser olga = signedIn("olga", "olga-runs-tasks-1");

        String form = olga.get("/deployments/new").expectStatus(200).body();

        assertThat(olga.get("/tasks").body()).contains("href=\"/deployments\"");
        assertThat(form)
                .contains("<option value=\"" + providerId + "\" selected>AWS &lt;prod&gt; · eu-west-1</option>")
                .contains("id=\"deploy-region\" name=\"region\" value=\"eu-west-1\"")
                // The lists of clusters and services are asked for once the page is there, not while it renders.
                .contains("hx-trigger=\"load\"")
                .contains("id=\"preview-submit\"")
                .doesNotContain("id=\"deploy-submit\"");
    }

    @Test
    void theFormsOwnMistakesComeBackNextToTheirFieldsWithWhatWasTyped() {
        ConsoleBrowser olga = signedIn("olga", "olga-runs-tasks-1");

        ConsoleBrowser.Page bad = olga.post(
                "/deployments/new",
                Map.of(
                        "_csrf", olga.csrfToken(),
                        "cloudProviderId", providerId,
                        "region", "eu-west-1",
                        "cluster", "prod",
                        "service", "web",
                        "what", "taskDefinition",
                        "taskDefinition", "{\"family\": \"web\",",
                        "variables", "hunter2\nVERSION=1",
                        "desiredCount", "many",
                        "action", "preview"));

        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body())
                .contains("id=\"deploy-taskDefinition-error\"", "This is not valid JSON")
                .contains("id=\"deploy-variables-error\"", "Line 1 must be written NAME=value")
                .contains("id=\"deploy-desiredCount-error\"", "many", "is not a whole number.")
                .containsAnyOf("{&#34;family&#34;: &#34;web&#34;,", "{\"family\": \"web\",")
                .contains("aria-invalid=\"true\"")
                .doesNotContain("id=\"deploy-preview\"");
    }

    @Test
    void anOperatorDeploysAnImageAndLandsOnTheDeploymentsPageWhichTheListShows() {
        ConsoleBrowser olga = signedIn("olga", "olga-runs-tasks-1");

        ConsoleBrowser.Page sent = olga.post(
                "/deployments/new",
                Map.of(
                        "_csrf", olga.csrfToken(),
                        "cloudProviderId", providerId,
                        "region", "eu-west-1",
                        "cluster", "prod",
                        "service", "web",
                        "what", "image",
                        "image", "nginx:1.27",
                        "steadyStateTimeoutSeconds", "600",
                        "rollbackOnFailure", "true",
                        "action", "deploy"));

        assertThat(sent.status()).as(sent.body()).isEqualTo(303);
        String location = sent.header("Location");
        assertThat(location).startsWith("/deployments/");
        var deployment = manager.api().get("/api/v1" + location).json();
        assertThat(deployment.get("request").get("image").asText()).isEqualTo("nginx:1.27");
        assertThat(deployment.get("submittedBy").asText()).isEqualTo("user:olga");
        assertThat(olga.get(location).expectStatus(200).body())
                .contains("<span class=\"deployment-service\">web</span>", "id=\"deployment-steps\"")
                .contains("id=\"deployment-diff\"", "nginx:1.27");
        assertThat(olga.get("/deployments").expectStatus(200).body()).contains(location);
        assertThat(signedIn("vera", "vera-looks-only-1")
                        .get(location)
                        .expectStatus(200)
                        .body())
                .doesNotContain("id=\"cancel-deployment\"", "id=\"rollback-deployment\"");
    }

    @Test
    void aViewerIsNotOfferedTheFormAndIsRefusedIt() {
        ConsoleBrowser vera = signedIn("vera", "vera-looks-only-1");

        ConsoleBrowser.Page page = vera.get("/deployments/new");
        ConsoleBrowser.Page post = vera.post(
                "/deployments/new",
                Map.of("_csrf", vera.csrfToken(), "cloudProviderId", providerId, "action", "deploy"));

        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("admin or operator role");
        assertThat(post.status()).isEqualTo(403);
        assertThat(vera.get("/tasks").body()).as("the list is for everyone").contains("href=\"/deployments\"");
    }

    @Test
    void withoutASessionEveryDeploymentPageSendsToSignIn() {
        ConsoleBrowser anonymous = manager.browser();

        for (String path : List.of("/deployments", "/deployments/new", "/deployments/some-id")) {
            ConsoleBrowser.Page page = anonymous.get(path);
            assertThat(page.status()).as(path).isEqualTo(303);
            assertThat(page.header("Location")).as(path).startsWith("/login");
        }
    }

    private static ConsoleBrowser signedIn(String user, String password) {
        ConsoleBrowser b = manager.browser();
        b.signIn(user, password).expectStatus(303);
        return b;
    }
}
