package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * The console's cloud provider page and what it costs over HTTP against a real Manager, with a
 * protocol-level delegate answering the AWS tasks: viewing a provider starts no lookup (for a viewer nor an
 * admin), a failed Test says its sentence first with the technical details folded once and updates "Last
 * test" in the same answer, the tasks the console starts are marked {@code console-lookup} and the Tasks list
 * hides them unless asked; and the smaller console errors (404 inside the frame, an expired session on a
 * live refresh, focus after a wrong password).
 */
class ConsoleProvidersHttpTest {
    /** What the AWS SDK says when a delegate has no credentials: the dump the page must fold away. */
    private static final String SDK_DUMP = "Unable to load credentials from any of the providers in the chain"
            + " AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(),"
            + " EnvironmentVariableCredentialsProvider(), WebIdentityTokenFileCredentialsProvider(),"
            + " ProfileCredentialsProvider(profileName=default), ContainerCredentialsProvider(),"
            + " InstanceProfileCredentialsProvider()])";

    private static final Pattern LOAD_TRIGGERED =
            Pattern.compile("<[^>]*hx-get=\"([^\"]+)\"[^>]*hx-trigger=\"([^\"]*\\bload\\b[^\"]*)\"[^>]*>");
    private static TestManager manager;
    private static FakeDelegate delegate;
    private static String providerId;
    private static String browsedId;

    @BeforeAll
    static void start() {
        manager = TestManager.start(Map.of(
                "OPENDELEGATE_DISCONNECT_AFTER", "60s",
                "OPENDELEGATE_LEASE_DURATION", "60s",
                "OPENDELEGATE_NO_ELIGIBLE_WAIT", "1s"));
        delegate = manager.delegate("aws-1", "ecs-prod")
                .with("selectors", List.of("aws"))
                .with("taskTypes", AwsTaskTypes.ALL);
        assertThat(delegate.register().status()).isEqualTo(200);
        TestHttp api = manager.api();
        assertThat(api.post(
                                "/api/v1/users",
                                Map.of("username", "vera", "role", "VIEWER", "password", "vera-looks-only-123"))
                        .status())
                .isEqualTo(201);
        providerId = provider(api, "aws-prod");
        // Its own provider: a failed Test of the first teaches routing to avoid the delegate for that one.
        browsedId = provider(api, "aws-browsed");
    }

    private static String provider(TestHttp api, String name) {
        TestHttp.Response provider = api.post(
                "/api/v1/cloud-providers",
                Map.of(
                        "name",
                        name,
                        "type",
                        "AWS",
                        "region",
                        "us-east-1",
                        "credentials",
                        Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", List.of("aws"))));
        assertThat(provider.status()).as(provider.toString()).isEqualTo(201);
        return provider.json().get("id").asText();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void viewingAProviderStartsNoLookupForAViewerNorAnAdmin() {
        ConsoleBrowser vera = manager.browser();
        vera.signIn("vera", "vera-looks-only-123").expectStatus(303);
        int before = tasks("").size();

        List<String> loaded = new ArrayList<>();
        for (ConsoleBrowser who : List.of(vera, manager.signedInAdmin())) {
            String page = who.get("/setup/cloud-providers/" + providerId)
                    .expectStatus(200)
                    .body();
            assertThat(page).contains("id=\"browse-clusters-start\"", "id=\"browse-vpcs-start\"");
            Matcher m = LOAD_TRIGGERED.matcher(page);
            while (m.find()) {
                loaded.add(m.group(1) + " on " + m.group(2));
            }
            who.get("/setup/cloud-providers").expectStatus(200);
        }

        assertThat(loaded).as("what htmx would fetch by itself on load").noneMatch(u -> u.contains("/browse/"));
        assertThat(tasks("")).hasSize(before);
    }

    @Test
    void aFailedTestSaysItsSentenceFoldsTheDetailsOnceAndUpdatesLastTestAtOnce() {
        ConsoleBrowser admin = manager.signedInAdmin();
        String csrf = admin.csrfToken();
        CompletableFuture<ConsoleBrowser.Page> test = CompletableFuture.supplyAsync(() -> admin.post(
                "/setup/cloud-providers/" + providerId + "/test", Map.of("_csrf", csrf), "HX-Request", "true"));
        // Test goes without routing history, so the one delegate gets both of its attempts.
        for (int attempt = 1; attempt <= 2; attempt++) {
            JsonNode a = delegate.take();
            delegate.fail(
                    a.get("taskId").asText(),
                    a.get("fencingToken").asLong(),
                    "CAPABILITY",
                    "this delegate has no AWS credentials for sts:GetCallerIdentity: in ECS give its task definition"
                            + " a task role (" + SDK_DUMP + ")");
        }
        String html = test.join().expectStatus(200).body();

        String alert = between(html, "role=\"alert\">", "</div>");
        assertThat(alert)
                .contains("Not connected", "Testing <code>aws-prod</code> failed on delegate <code>aws-1</code>")
                .contains("this delegate has no AWS credentials for sts:GetCallerIdentity")
                .doesNotContain("AwsCredentialsProviderChain");
        assertThat(count(html, "<summary>Technical details</summary>")).isEqualTo(1);
        assertThat(count(html, "AwsCredentialsProviderChain")).isEqualTo(1);
        assertThat(between(html, "<details class=\"technical-details\"", "</details>"))
                .contains("AwsCredentialsProviderChain");
        assertThat(count(html, "role=\"alert\"")).isEqualTo(1);
        assertThat(between(html, "id=\"last-test\"", "</div>"))
                .contains("hx-swap-oob=\"true\"", "Failed", "via aws-1")
                .doesNotContain("never");
        assertThat(admin.get("/setup/cloud-providers/" + providerId).body())
                .as("the Test slot is no live region of its own: its callout is announced once")
                .contains("<div id=\"test-result\" class=\"test-slot\"></div>");
    }

    @Test
    void theConsolesLookupsAreMarkedAndTheTasksListHidesThemUnlessAsked() {
        ConsoleBrowser admin = manager.signedInAdmin();
        CompletableFuture<ConsoleBrowser.Page> browse = CompletableFuture.supplyAsync(() -> admin.get(
                "/setup/cloud-providers/" + browsedId + "/browse/clusters?region=us-east-1", "HX-Request", "true"));
        JsonNode a = delegate.take();
        String lookupId = a.get("taskId").asText();
        delegate.succeed(lookupId, a.get("fencingToken").asLong(), Map.of("clusters", List.of()));
        assertThat(browse.join().expectStatus(200).header("HX-Trigger")).contains("od:browsed");
        TestHttp.Response submitted = manager.api().post("/api/v1/tasks", Map.of("type", "echo"));
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
        String apiTaskId = submitted.json().get("id").asText();

        assertThat(ids(tasks("?source=console-lookup"))).contains(lookupId).doesNotContain(apiTaskId);
        assertThat(ids(tasks("?source=api"))).contains(apiTaskId).doesNotContain(lookupId);
        assertThat(ids(tasks("?source=api,lookup"))).contains(apiTaskId).doesNotContain(lookupId);
        assertThat(ids(tasks(""))).contains(apiTaskId, lookupId);
        assertThat(manager.api()
                        .get("/api/v1/tasks/" + lookupId)
                        .json()
                        .get("source")
                        .asText())
                .isEqualTo("console-lookup");
        TestHttp.Response bad = manager.api().get("/api/v1/tasks?source=console");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("source", "api", "console-lookup");

        String byDefault = admin.get("/tasks").expectStatus(200).body();
        String all = admin.get("/tasks?source=all").body();
        String onlyLookups = admin.get("/tasks/table?source=console-lookup", "HX-Request", "true")
                .body();
        assertThat(byDefault)
                .contains("task-" + apiTaskId, "Without console lookups")
                .doesNotContain("task-" + lookupId);
        assertThat(all).contains("task-" + apiTaskId, "task-" + lookupId, "console lookup");
        assertThat(onlyLookups).contains("task-" + lookupId).doesNotContain("task-" + apiTaskId);
        assertThat(admin.get("/tasks?source=nonsense").status()).isEqualTo(400);
    }

    @Test
    void anUnknownPageIsAnsweredInsideTheConsoleWithoutTalkingAboutTheApi() {
        ConsoleBrowser admin = manager.signedInAdmin();

        ConsoleBrowser.Page inside = admin.get("/setup/no-such-page");
        ConsoleBrowser.Page outside = admin.get("/no-such-page");
        ConsoleBrowser.Page anonymous = manager.browser().get("/no-such-page");
        TestHttp.Response api = manager.api().get("/api/v1/no-such-thing");

        for (ConsoleBrowser.Page page : List.of(inside, outside)) {
            assertThat(page.status()).isEqualTo(404);
            assertThat(page.body())
                    .contains("class=\"sidebar\"", "There is nothing at GET /", "no-such-page")
                    .doesNotContain("openapi.yaml");
        }
        assertThat(anonymous.status()).isEqualTo(404);
        assertThat(anonymous.body()).doesNotContain("class=\"sidebar\"", "openapi.yaml");
        assertThat(api.status()).isEqualTo(404);
        assertThat(api.body()).contains("openapi.yaml");
    }

    @Test
    void aLiveRefreshAfterTheSessionEndedSendsToSignInAndBackToThePage() {
        ConsoleBrowser expired = manager.browser();

        ConsoleBrowser.Page refresh = expired.get(
                "/tasks/table?state=FAILED",
                "HX-Request",
                "true",
                "X-Console-Live",
                "1",
                "HX-Current-URL",
                manager.url() + "/tasks?state=FAILED");
        String redirect = refresh.header("HX-Redirect");
        String signIn = expired.get(redirect).expectStatus(200).body();

        assertThat(refresh.status()).isEqualTo(401);
        assertThat(redirect)
                .isEqualTo("/login?expired=1&next=" + URLEncoder.encode("/tasks?state=FAILED", StandardCharsets.UTF_8));
        assertThat(signIn).contains("name=\"next\" value=\"/tasks?state=FAILED\"", "Your session ended");
        assertThat(expired.get("/tasks/table", "HX-Request", "true").header("HX-Redirect"))
                .isEqualTo("/login?expired=1");
    }

    @Test
    void afterAWrongPasswordTheFocusIsOnPasswordNotUsername() {
        ConsoleBrowser browser = manager.browser();
        String fresh = browser.get("/login").body();
        String token = ConsoleBrowser.formToken(fresh);

        String refused = browser.post(
                        "/login",
                        Map.of("_csrf", token, "username", "admin", "password", "wrong", "next", "/setup/delegates"))
                .expectStatus(401)
                .body();

        assertThat(tag(fresh, "id=\"username\"")).contains("autofocus");
        assertThat(tag(fresh, "id=\"password\"")).doesNotContain("autofocus");
        assertThat(tag(refused, "id=\"password\""))
                .contains("autofocus", "aria-invalid=\"true\"", "aria-describedby=\"login-error\"");
        assertThat(tag(refused, "id=\"username\"")).doesNotContain("autofocus");
    }

    private static JsonNode tasks(String query) {
        TestHttp.Response r = manager.api().get("/api/v1/tasks" + query + (query.isEmpty() ? "?" : "&") + "limit=1000");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("tasks");
    }

    private static List<String> ids(JsonNode tasks) {
        List<String> ids = new ArrayList<>();
        tasks.forEach(t -> ids.add(t.get("id").asText()));
        return ids;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertThat(from).as("%s in %s", start, text).isNotNegative();
        int to = text.indexOf(end, from + start.length());
        return text.substring(from, to < 0 ? text.length() : to);
    }

    /** The whole start tag that contains the marker. */
    private static String tag(String html, String marker) {
        int at = html.indexOf(marker);
        assertThat(at).as(marker).isNotNegative();
        return html.substring(html.lastIndexOf('<', at), html.indexOf('>', at) + 1);
    }
}
