package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TarGz;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.testkit.TestHttp;

/** Download Delegate in the console: the same installers as the API, behind the console's session, CSRF and roles. */
class ConsoleDownloadHttpTest {
    private static final Pattern ARCHIVE = Pattern.compile("data-archive=\"([A-Za-z0-9+/=]+)\"");
    private static TestManager manager;

    @BeforeAll
    static void start() {
        manager = TestManager.start(Map.of("OPENDELEGATE_EXTERNAL_URL", "https://od.example.com"));
        manager.api()
                .post("/api/v1/users", Map.of("username", "vera", "role", "VIEWER", "password", "vera-looks-only-123"));
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void aPlainFormPostDownloadsTheEcsAndTheShellArchive() {
        ConsoleBrowser admin = manager.signedInAdmin();
        String csrf = admin.csrfToken();

        TestHttp.BinaryResponse ecs = admin.postForBytes(
                "/setup/delegates/download/ecs",
                Map.of(
                        "_csrf",
                        csrf,
                        "delegateGroupName",
                        "plain-ecs",
                        "awsVpcMode",
                        "true",
                        "launchType",
                        "FARGATE",
                        "cpu",
                        "512",
                        "memory",
                        "1024",
                        "tokenDelivery",
                        "env"));
        TestHttp.BinaryResponse shell = admin.postForBytes(
                "/setup/delegates/download/shell",
                Map.of("_csrf", csrf, "delegateGroupName", "plain-shell", "profile", "Primary"));

        assertThat(ecs.status()).as(ecs.text()).isEqualTo(200);
        assertThat(ecs.header("Content-Type")).isEqualTo("application/gzip");
        assertThat(ecs.header("Content-Disposition")).isEqualTo("attachment; filename=\"opendelegate-ecs.tar.gz\"");
        Map<String, TarGz.Entry> ecsFiles = TarGz.read(ecs.body());
        assertThat(ecsFiles)
                .containsKeys(
                        "opendelegate-ecs/ecs-task-spec.json", "opendelegate-ecs/service-spec-for-awsvpc-mode.json");
        assertThat(ecsFiles.get("opendelegate-ecs/ecs-task-spec.json").text()).contains("\"awsvpc\"", "\"512\"");
        assertThat(shell.status()).as(shell.text()).isEqualTo(200);
        assertThat(shell.header("Content-Disposition")).isEqualTo("attachment; filename=\"opendelegate-shell.tar.gz\"");
        assertThat(TarGz.read(shell.body()))
                .containsKeys(
                        "opendelegate-shell/start.sh",
                        "opendelegate-shell/delegate.env",
                        "opendelegate-shell/opendelegate-delegate.jar");
        assertThat(tokens()).contains(ecs.header("X-OpenDelegate-Token-Id"), shell.header("X-OpenDelegate-Token-Id"));
    }

    @Test
    void theDialogGetsTheArchiveWithTheStepsAndTheTokenItMade() throws Exception {
        ConsoleBrowser admin = manager.signedInAdmin();

        ConsoleBrowser.Page answer = admin.post(
                "/setup/delegates/download/ecs",
                Map.of(
                        "_csrf",
                        admin.csrfToken(),
                        "delegateGroupName",
                        "dialog-ecs",
                        "awsVpcMode",
                        "true",
                        "tokenName",
                        "dialog-token"),
                "HX-Request",
                "true");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("HX-Retarget")).isEqualTo("#install-result");
        assertThat(answer.body())
                .contains(
                        "Downloaded opendelegate-ecs.tar.gz",
                        "dialog-token",
                        "aws ecs register-task-definition --cli-input-json file://ecs-task-spec.json",
                        "aws ecs create-service --cli-input-json file://service-spec-for-awsvpc-mode.json",
                        "appears here as <strong>Connected</strong> within seconds",
                        "REPLACE_WITH_AWS_ACCOUNT_ID");
        Matcher archive = ARCHIVE.matcher(answer.body());
        assertThat(archive.find()).isTrue();
        Map<String, TarGz.Entry> files = TarGz.read(Base64.getDecoder().decode(archive.group(1)));
        JsonNode spec = ProtocolJson.mapper()
                .readTree(files.get("opendelegate-ecs/ecs-task-spec.json").text());
        assertThat(spec.get("requiresCompatibilities").toString()).contains("FARGATE");
        assertThat(files.get("opendelegate-ecs/README.txt").text()).contains("Delegate token: \"dialog-token\"");
        assertThat(tokens()).contains("dialog-token");
    }

    @Test
    void invalidInputComesBackAsTheFormWithEveryProblemNextToItsFieldAndNothingIsMade() {
        ConsoleBrowser admin = manager.signedInAdmin();
        String before = tokens();
        Map<String, String> form = new HashMap<>(Map.of(
                "_csrf",
                admin.csrfToken(),
                "delegateGroupName",
                "Bad Group!",
                "awsVpcMode",
                "true",
                "launchType",
                "FARGATE",
                "cpu",
                "256",
                "memory",
                "lots",
                "logGroup",
                "/ecs/opendelegate",
                "tokenDelivery",
                "arn",
                "tokenSecretArn",
                "not-an-arn",
                "desiredCount",
                "-1"));

        ConsoleBrowser.Page refused = admin.post("/setup/delegates/download/ecs", form, "HX-Request", "true");

        assertThat(refused.status()).isEqualTo(422);
        String body = refused.body();
        assertThat(body).startsWith("<form id=\"ecs-form\"").contains("Nothing was generated");
        assertThat(errorOf(body, "ecs-delegateGroupName")).startsWith("Delegate group name (\"Bad Group!\") must be");
        assertThat(errorOf(body, "ecs-memory")).isEqualTo("Memory (\"lots\") must be a whole number.");
        assertThat(errorOf(body, "ecs-region")).startsWith("Region is required with logGroup");
        assertThat(errorOf(body, "ecs-tokenSecretArn")).startsWith("The ARN must be");
        assertThat(errorOf(body, "ecs-desiredCount")).contains("is -1; it must be from 0 to 1000");
        assertThat(body).contains("value=\"Bad Group!\"", "aria-invalid=\"true\"", "value=\"not-an-arn\"");
        assertThat(body).contains("<details class=\"advanced\" id=\"ecs-advanced\" open>");
        assertThat(tokens()).isEqualTo(before);
        assertThat(manager.api().get("/api/v1/delegate-groups").body()).doesNotContain("Bad Group!");

        ConsoleBrowser.Page shell = admin.post(
                "/setup/delegates/download/shell",
                Map.of("_csrf", admin.csrfToken(), "delegateGroupName", "", "delegateName", "no spaces please"),
                "HX-Request",
                "true");
        assertThat(shell.status()).isEqualTo(422);
        assertThat(errorOf(shell.body(), "shell-delegateGroupName")).startsWith("Delegate group name is required");
        assertThat(errorOf(shell.body(), "shell-delegateName")).startsWith("Delegate name (\"no spaces please\")");
        assertThat(tokens()).isEqualTo(before);
    }

    @Test
    void aTakenTokenNameIsShownAtTheTokenNameField() {
        ConsoleBrowser admin = manager.signedInAdmin();
        manager.api()
                .post("/api/v1/delegate-tokens", Map.of("name", "taken-name"))
                .status();

        ConsoleBrowser.Page refused = admin.post(
                "/setup/delegates/download/shell",
                Map.of("_csrf", admin.csrfToken(), "delegateGroupName", "taken", "tokenName", "taken-name"),
                "HX-Request",
                "true");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(errorOf(refused.body(), "shell-tokenName")).contains("already exists");
    }

    @Test
    void onlyAnAdminWithTheSessionsCsrfTokenCanDownload() {
        ConsoleBrowser admin = manager.signedInAdmin();
        ConsoleBrowser viewer = manager.browser();
        viewer.signIn("vera", "vera-looks-only-123").expectStatus(303);
        String before = tokens();
        Map<String, String> ecs = Map.of("delegateGroupName", "sneaky");

        ConsoleBrowser.Page anonymous = manager.browser().post("/setup/delegates/download/ecs", ecs);
        ConsoleBrowser.Page noToken = admin.post("/setup/delegates/download/ecs", ecs, "HX-Request", "true");
        ConsoleBrowser.Page viewerEcs = viewer.post(
                "/setup/delegates/download/ecs", with(ecs, "_csrf", viewer.csrfToken()), "HX-Request", "true");
        ConsoleBrowser.Page viewerShell =
                viewer.post("/setup/delegates/download/shell", with(ecs, "_csrf", viewer.csrfToken()));

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(noToken.body()).contains("CSRF token");
        assertThat(viewerEcs.status()).isEqualTo(403);
        assertThat(viewerEcs.body()).contains("admin role");
        assertThat(viewerShell.status()).isEqualTo(403);
        assertThat(tokens()).isEqualTo(before);
        assertThat(manager.api().get("/api/v1/delegate-groups").body()).doesNotContain("sneaky");
    }

    @Test
    void viewersSeeNoDownloadAndAdminsGetTheDialogWithTheirGroupsAndTheFargateSizes() {
        manager.api().post("/api/v1/installers/shell", Map.of("delegateGroupName", "existing-group"));
        ConsoleBrowser viewer = manager.browser();
        viewer.signIn("vera", "vera-looks-only-123").expectStatus(303);

        String viewerPage = viewer.get("/setup/delegates").body();
        String adminPage = manager.signedInAdmin().get("/setup/delegates").body();

        assertThat(viewerPage).doesNotContain("download-delegate", "install-dialog", "Download Delegate");
        assertThat(adminPage)
                .contains(
                        "id=\"download-delegate\"",
                        "<dialog id=\"install-dialog\"",
                        "<option value=\"existing-group\">",
                        "ECS Task Spec",
                        "Shell Script",
                        "placeholder=\"opendelegate/delegate:");
        assertThat(adminPage.replaceAll("\\s+", " "))
                .contains("<option value=\"2048\" data-cpu=\"256\" >", "<option value=\"30720\" data-cpu=\"4096\" >");
    }

    /** The text of the message shown under a field, e.g. {@code ecs-cpu}. */
    private static String errorOf(String html, String field) {
        Matcher m = Pattern.compile("<p class=\"field-error\" id=\"" + field + "-error\">([^<]*)</p>")
                .matcher(html);
        assertThat(m.find()).as("no message for " + field + " in " + html).isTrue();
        return m.group(1);
    }

    private static Map<String, String> with(Map<String, String> form, String key, String value) {
        Map<String, String> copy = new HashMap<>(form);
        copy.put(key, value);
        return copy;
    }

    private static String tokens() {
        return manager.api().get("/api/v1/delegate-tokens").body();
    }
}
