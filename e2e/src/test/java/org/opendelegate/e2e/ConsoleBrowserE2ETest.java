package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.Browser;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.e2e.support.ScriptedDelegate;
import org.opendelegate.protocol.ProtocolJson;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The console in real Chromium against the built Manager jar, as a person uses it: one story in order
 * (sign in, watch delegates come and go, edit selectors with the keyboard, try what must fail).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserE2ETest {
    private static final Duration UI_WAIT = Duration.ofSeconds(15);
    private static final String XSS_NAME = "<img src=x onerror=window.__xss=1>";
    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("opendelegate.screenshotDir", "target/screenshots"));
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static Path work;
    private static ManagerProcess manager;
    private static Browser browser;
    private static Api api;

    @BeforeAll
    static void start() {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("console-" + UUID.randomUUID().toString().substring(0, 8));
        manager = track(ManagerProcess.start(
                "manager", work.resolve("data"), 0, Map.of("OPENDELEGATE_NO_ELIGIBLE_WAIT", "2s")));
        api = manager.api();
        browser = track(new Browser());
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
    }

    @Test
    @Order(1)
    void signInWithTheKeyboardAndMeetTheEmptyState() {
        browser.signIn(manager.url(), "admin", ManagerProcess.ADMIN_PASSWORD);

        assertThat(browser.text("h1")).isEqualTo("Delegates");
        assertThat(browser.text(".empty h2")).isEqualTo("No delegates yet");
        browser.driver().findElement(By.id("empty-download")).sendKeys(Keys.ENTER);
        assertThat(dialogOpen("install-dialog")).isTrue();
        assertThat(active().getAttribute("id")).isEqualTo("ecs-group");
        assertThat(browser.driver().findElement(By.id("install-kind-ecs")).isSelected())
                .isTrue();
        active().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
        active().sendKeys(Keys.ARROW_RIGHT);
        assertThat(browser.driver().findElement(By.id("shell-group")).isDisplayed())
                .isTrue();
        assertThat(browser.driver().findElement(By.id("ecs-group")).isDisplayed())
                .isFalse();
        active().sendKeys(Keys.ARROW_LEFT);
        assertThat(browser.driver().findElement(By.id("ecs-group")).isDisplayed())
                .isTrue();
        active().sendKeys(Keys.ESCAPE);
        assertThat(dialogOpen("install-dialog")).isFalse();
        assertThat(active().getAttribute("id")).isEqualTo("empty-download");
    }

    @Test
    @Order(2)
    void aDelegateGoesConnectedAndThenDisconnectedWithoutAReload() {
        browser.script("window.__sameDocument = 'yes';");

        Runnable kill = startDelegate("builder-1", "local");
        browser.waitUpTo(UI_WAIT).until(d -> "Connected".equals(badgeOf("builder-1")));
        assertThat(rowText("builder-1")).contains("Shell", "Primary");
        kill.run();

        browser.waitUpTo(UI_WAIT).until(d -> "Disconnected".equals(badgeOf("builder-1")));
        assertThat(browser.script("return window.__sameDocument;")).isEqualTo("yes");
    }

    @Test
    @Order(3)
    void editAGroupsSelectorsWithTheKeyboardAndSeeThemOnEveryMember() {
        track(new ScriptedDelegate(manager.url(), "ip-10-0-1-12.ec2.internal", "ecs-prod")
                .ecs("EC2")
                .start());
        track(new ScriptedDelegate(manager.url(), "ip-10-0-2-40.ec2.internal", "ecs-prod")
                .ecs("EC2")
                .with("ip", "10.0.2.40")
                .with("selectors", List.of("linux"))
                .start());
        track(new ScriptedDelegate(manager.url(), "0f3c9a1be2d84b6f9c1d2e3f4a5b6c7d-2495160603", "fargate-staging")
                .ecs("FARGATE")
                .with("hostname", "ip-10-0-8-21.us-west-2.compute.internal")
                .with("ip", "10.0.8.21")
                .start());
        for (int i = 0; i < 3; i++) {
            new ScriptedDelegate(
                            manager.url(), "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4" + i + "-2495160603", "fargate-staging")
                    .ecs("FARGATE")
                    .with("ip", "10.0.8." + (30 + i))
                    .start()
                    .deregister();
        }
        browser.waitUpTo(UI_WAIT)
                .until(d -> "Connected".equals(badgeOf("ip-10-0-2-40.ec2.internal"))
                        && browser.text("#board").contains("3 replaced tasks"));
        browser.script("window.__swaps = 0; document.getElementById('board').addEventListener('htmx:afterSwap',"
                + " function () { window.__swaps++; });");

        WebElement edit =
                browser.driver().findElement(By.cssSelector("[data-edit-selectors][data-group-name='ecs-prod']"));
        edit.sendKeys(Keys.ENTER);
        assertThat(dialogOpen("selectors-dialog")).isTrue();
        assertThat(active().getAttribute("id")).isEqualTo("selector-input");
        active().sendKeys("Bad Selector!", Keys.ENTER);
        assertThat(browser.text("#selector-hint")).contains("cannot be a selector", "letters, digits");
        active().sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE, "ECS-Prod", Keys.ENTER);
        long swaps = (Long) browser.script("return window.__swaps;");
        browser.waitUpTo(UI_WAIT).until(d -> (Long) browser.script("return window.__swaps;") > swaps);
        assertThat(dialogOpen("selectors-dialog"))
                .as("an open dialog survives the live refresh")
                .isTrue();
        assertThat(active().getAttribute("id")).isEqualTo("selector-input");
        active().sendKeys("us-east-1", Keys.ENTER);
        assertThat(browser.texts("#selector-chips .chip > span")).containsExactly("ecs-prod", "us-east-1");
        active().sendKeys(Keys.ENTER);

        browser.waitUpTo(UI_WAIT).until(d -> !dialogOpen("selectors-dialog"));
        for (String member : List.of("ip-10-0-1-12.ec2.internal", "ip-10-0-2-40.ec2.internal")) {
            assertThat(chipsOf(member)).contains("ecs-prod", "us-east-1");
        }
        assertThat(chipsOf("ip-10-0-2-40.ec2.internal")).contains("linux");
        assertThat(browser.text("#toasts")).contains("ecs-prod, us-east-1");
        assertThat(api.get("/api/v1/delegates").json().toString())
                .contains("\"ecs-prod\",\"ip-10-0-1-12.ec2.internal\"");
        browser.script("document.activeElement.blur(); document.getElementById('toasts').replaceChildren();");
        browser.screenshot(SCREENSHOTS.resolve("delegates-page.png"));
    }

    @Test
    @Order(4)
    void aPostWithoutTheCsrfTokenIsRefused() {
        String groupId =
                api.delegate("ip-10-0-1-12.ec2.internal").get("groupId").asText();

        String answer = fetch("/setup/delegates/group-selectors", "groupId=" + groupId + "&selector=forged", false);

        assertThat(answer).startsWith("403 ").contains("CSRF token");
        assertThat(api.get("/api/v1/delegate-groups/" + groupId)
                        .json()
                        .get("selectors")
                        .toString())
                .isEqualTo("[\"ecs-prod\",\"us-east-1\"]");
    }

    @Test
    @Order(5)
    void untrustedStringsFromADelegateShowLiterallyAndRunNothing() {
        track(new ScriptedDelegate(manager.url(), XSS_NAME, "untrusted")
                .with("hostname", "<script>window.__xss=2</script>")
                .with("version", "\"><b>9</b>")
                .with("selectors", List.of("<svg onload=window.__xss=3>"))
                .start());

        browser.waitUpTo(UI_WAIT).until(d -> browser.text("#board").contains(XSS_NAME));

        String board = browser.text("#board");
        assertThat(board).contains("<script>window.__xss=2</script>", "\"><b>9</b>", "<svg onload=window.__xss=3>");
        assertThat(browser.script("return window.__xss === undefined;")).isEqualTo(true);
        assertThat(browser.script("return document.querySelectorAll('#board img, #board script, #board b, "
                        + "#board svg:not(.icon):not(.sprite)').length;"))
                .isEqualTo(0L);
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        browser.script("document.getElementById('toasts').replaceChildren();"
                + " document.querySelector(\"[data-group-name='untrusted']\").scrollIntoView();");
        browser.screenshot(SCREENSHOTS.resolve("delegates-untrusted-input.png"));
    }

    @Test
    @Order(6)
    void aViewerSeesEverythingAndCanChangeNothing() {
        assertThat(api.post(
                                "/api/v1/users",
                                Map.of("username", "vic", "role", "VIEWER", "password", "vic-only-looks-123"))
                        .status())
                .isEqualTo(201);
        String groupId =
                api.delegate("ip-10-0-1-12.ec2.internal").get("groupId").asText();

        browser.signIn(manager.url(), "vic", "vic-only-looks-123");

        assertThat(browser.text("#board")).contains("ip-10-0-1-12.ec2.internal", "builder-1", "ecs-prod");
        assertThat(browser.driver().findElements(By.cssSelector("[data-edit-selectors], [data-confirm-action]")))
                .isEmpty();
        assertThat(fetch("/setup/delegates/group-selectors", "groupId=" + groupId + "&selector=viewer", true))
                .startsWith("403 ")
                .contains("viewer role");
        browser.driver().get(manager.url() + "/setup/users");
        assertThat(browser.text("#user-table")).contains("vic", "admin");
        assertThat(browser.driver().findElements(By.cssSelector("#new-user, [data-reset-password]")))
                .isEmpty();
        assertThat(api.get("/api/v1/delegate-groups/" + groupId)
                        .json()
                        .get("selectors")
                        .toString())
                .doesNotContain("viewer");
    }

    @Test
    @Order(7)
    void downloadTheEcsTaskSpecWithTheKeyboard() throws IOException {
        browser.signIn(manager.url(), "admin", ManagerProcess.ADMIN_PASSWORD);
        browser.driver().findElement(By.id("download-delegate")).sendKeys(Keys.ENTER);
        assertThat(dialogOpen("install-dialog")).isTrue();

        // A bad group name first: nothing is made, and the reason stands next to the field.
        active().sendKeys("Fargate Prod!", Keys.ENTER);
        browser.waitUpTo(UI_WAIT)
                .until(d ->
                        !d.findElements(By.id("ecs-delegateGroupName-error")).isEmpty());
        assertThat(browser.text("#ecs-delegateGroupName-error")).startsWith("Delegate group name (\"Fargate Prod!\")");
        assertThat(active().getAttribute("id")).isEqualTo("ecs-group");
        assertThat(api.get("/api/v1/delegate-tokens").json().toString()).doesNotContain("fargate-prod");

        // Fix it, then Tab to "Use AWS VPC Mode", tick it with Space and send the form with Enter.
        active().sendKeys(Keys.chord(Keys.CONTROL, "a"), "fargate-prod", Keys.TAB, Keys.TAB, Keys.SPACE);
        assertThat(browser.driver().findElement(By.id("ecs-fargate-cpu")).isDisplayed())
                .isTrue();
        assertThat(browser.driver().findElement(By.id("ecs-hostname")).isDisplayed())
                .isFalse();
        browser.screenshot(SCREENSHOTS.resolve("download-dialog.png"));
        browser.script(
                "var a = document.getElementById('ecs-advanced'); a.open = true; a.scrollIntoView({block: 'end'});");
        browser.screenshot(SCREENSHOTS.resolve("download-dialog-more.png"));
        browser.script("var a = document.getElementById('ecs-advanced'); a.open = false;"
                + " document.querySelector('#install-dialog').scrollTop = 0;");
        active().sendKeys(Keys.SHIFT, Keys.TAB);
        active().sendKeys(Keys.ENTER);

        browser.waitUpTo(UI_WAIT)
                .until(d -> d.findElement(By.id("install-result")).isDisplayed());
        Path archive = browser.downloads().resolve("opendelegate-ecs.tar.gz");
        browser.waitUpTo(UI_WAIT)
                .until(d -> Files.isRegularFile(archive) && archive.toFile().length() > 0);
        Map<String, String> files = untar(archive);
        assertThat(files)
                .containsKeys(
                        "opendelegate-ecs/ecs-task-spec.json",
                        "opendelegate-ecs/service-spec-for-awsvpc-mode.json",
                        "opendelegate-ecs/README.txt");
        JsonNode spec = ProtocolJson.mapper().readTree(files.get("opendelegate-ecs/ecs-task-spec.json"));
        assertThat(spec.get("networkMode").asText()).isEqualTo("awsvpc");
        assertThat(spec.get("requiresCompatibilities").toString()).contains("FARGATE");
        String token = browser.text("#downloaded-token");
        assertThat(token).startsWith("fargate-prod-ecs-");
        assertThat(api.get("/api/v1/delegate-tokens").json().toString()).contains(token);
        assertThat(browser.text("#install-result"))
                .contains(
                        "aws ecs register-task-definition --cli-input-json file://ecs-task-spec.json",
                        "aws ecs create-service --cli-input-json file://service-spec-for-awsvpc-mode.json",
                        "Connected within seconds");
        browser.screenshot(SCREENSHOTS.resolve("download-dialog-done.png"));

        // "Download another" starts from the form as first drawn, not from the refused attempt's values.
        browser.driver().findElement(By.cssSelector("[data-install-again]")).click();
        browser.waitUpTo(UI_WAIT).until(d -> d.findElement(By.id("ecs-group")).isDisplayed());
        assertThat(browser.driver().findElement(By.id("ecs-group")).getAttribute("value"))
                .isEmpty();
        assertThat(browser.driver().findElement(By.id("ecs-group")).getAttribute("aria-invalid"))
                .isNull();
        assertThat(browser.driver().findElements(By.cssSelector("#install-dialog .field-error")))
                .isEmpty();
        assertThat(browser.driver().findElement(By.id("ecs-awsvpc")).isSelected())
                .isFalse();
        active().sendKeys(Keys.ESCAPE);
    }

    @Test
    @Order(10)
    void aWrongPasswordLeavesTheFocusOnPasswordAndAnEndedSessionReturnsToThePageAfterSignIn() {
        browser.driver().manage().deleteAllCookies();
        browser.driver().get(manager.url() + "/login");
        browser.driver().findElement(By.id("username")).sendKeys("admin", Keys.TAB, "not-the-password", Keys.ENTER);
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.id("login-error")).isEmpty());
        assertThat(active().getAttribute("id")).isEqualTo("password");
        active().sendKeys(ManagerProcess.ADMIN_PASSWORD, Keys.ENTER);
        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().contains("/setup/"));

        // The Tasks list refreshes itself; its session ends in between (signed out elsewhere, say).
        browser.driver().get(manager.url() + "/tasks?state=SUCCEEDED");
        browser.driver().manage().deleteAllCookies();
        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().contains("/login?expired=1"));
        assertThat(browser.text(".notice")).contains("Your session ended");
        browser.driver()
                .findElement(By.id("username"))
                .sendKeys("admin", Keys.TAB, ManagerProcess.ADMIN_PASSWORD, Keys.ENTER);
        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().endsWith("/tasks?state=SUCCEEDED"));
        assertThat(browser.driver().findElement(By.id("task-state")).getAttribute("value"))
                .isEqualTo("SUCCEEDED");
    }

    @Test
    @Order(8)
    void followATaskOnARealDelegateFromTheListToItsEndWithoutAReload() {
        startDelegate("runner-1", "runners");
        seedTasksForTheList();
        String id =
                api.submit(Map.of("type", "sleep", "payload", Map.of("seconds", 3), "selectors", List.of("runners")));

        browser.driver().get(manager.url() + "/tasks");
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.id("task-link-" + id)).isEmpty());
        browser.driver().findElement(By.id("task-link-" + id)).sendKeys(Keys.ENTER);
        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().endsWith("/tasks/" + id));
        browser.script("window.__sameDocument = 'task';");

        browser.waitUpTo(UI_WAIT).until(d -> "Running".equals(browser.text("#task-live h1 .badge")));
        browser.waitUpTo(UI_WAIT).until(d -> browser.text("#task-log").contains("Sleeping for 3 s"));
        browser.waitUpTo(UI_WAIT).until(d -> "Succeeded".equals(browser.text("#task-live h1 .badge")));
        browser.waitUpTo(UI_WAIT)
                .until(d -> browser.text("#task-log").contains("Slept 3 s")
                        && d.findElement(By.id("log-card"))
                                .getAttribute("class")
                                .contains("is-ended"));

        assertThat(browser.script("return window.__sameDocument;")).isEqualTo("task");
        assertThat(browser.text("#task-result")).contains("\"sleptSeconds\" : 3");
        assertThat(browser.text("#attempt-1")).contains("runner-1", "SUCCEEDED");
        assertThat(browser.text("#selection .chosen"))
                .containsIgnoringCase("chosen")
                .contains("runner-1");
        assertThat(browser.text("#selection .candidates"))
                .contains("does not support task type sleep", "not connected");
        browser.script("document.activeElement.blur(); document.getElementById('toasts').replaceChildren();");
        tallScreenshot("task-detail.png");

        browser.driver().findElement(By.id("back-to-tasks")).sendKeys(Keys.ENTER);
        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().endsWith("/tasks"));
        assertThat(browser.texts(".task-row .badge"))
                .contains("Succeeded", "Failed", "Not assigned", "Cancelled", "Running");
        browser.script("document.activeElement.blur();");
        browser.screenshot(SCREENSHOTS.resolve("tasks-page.png"));
    }

    @Test
    @Order(9)
    void aTaskNoDelegateCouldTakeShowsWhyInItsSelectionLog() {
        String id = api.submit(Map.of("type", "echo", "selectors", List.of("gpu")));
        browser.waitUpTo(UI_WAIT)
                .until(d -> "NOT_ASSIGNED".equals(api.task(id).get("state").asText()));
        browser.driver().get(manager.url() + "/tasks");
        browser.script("window.__sameDocument = 'list';");

        // Filter the list with the keyboard: the list updates in place and the address keeps the filter.
        WebElement state = browser.driver().findElement(By.id("task-state"));
        state.sendKeys("Not assigned");
        browser.waitUpTo(UI_WAIT)
                .until(d -> d.getCurrentUrl().endsWith("/tasks?state=NOT_ASSIGNED")
                        && browser.texts(".task-row .badge").stream().allMatch("Not assigned"::equals)
                        && !d.findElements(By.id("task-link-" + id)).isEmpty());
        assertThat(browser.script("return window.__sameDocument;")).isEqualTo("list");
        browser.driver().findElement(By.id("task-link-" + id)).sendKeys(Keys.ENTER);
        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().endsWith("/tasks/" + id));

        assertThat(browser.text("#task-live h1 .badge")).isEqualTo("Not assigned");
        assertThat(browser.text("#task-error")).contains("no connected delegate has selector gpu");
        assertThat(browser.text("#selection .decision-latest .decision-meta"))
                .contains("Gave up: no eligible delegate in time");
        String candidates = browser.text("#selection .decision-latest .candidates");
        assertThat(candidates).contains("runner-1", "selector gpu missing", "builder-1", "not connected", XSS_NAME);
        assertThat(browser.text("#attempts")).contains("No attempt yet");
        assertThat(browser.script("return window.__xss === undefined;")).isEqualTo(true);
        browser.script("document.activeElement.blur();");
        tallScreenshot("task-not-assigned.png");
    }

    /** A screenshot of the whole of a long page: the window grows for it, then shrinks back. */
    private static void tallScreenshot(String name) {
        org.openqa.selenium.Dimension size = browser.driver().manage().window().getSize();
        long height = (Long) browser.script("return Math.min(2400, document.documentElement.scrollHeight);");
        browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(size.getWidth(), (int)
                Math.max(size.getHeight(), height + 120)));
        browser.screenshot(SCREENSHOTS.resolve(name));
        browser.driver().manage().window().setSize(size);
    }

    /** A few tasks in every end state, so the list shows what it looks like in use. */
    private static void seedTasksForTheList() {
        List<String> ids = new ArrayList<>();
        ids.add(api.submit(
                Map.of("type", "echo", "payload", Map.of("message", "hello"), "selectors", List.of("runners"))));
        ids.add(api.submit(Map.of("type", "sleep", "payload", Map.of("seconds", -1), "selectors", List.of("runners"))));
        ids.add(api.submit(Map.of("type", "echo", "selectors", List.of("arm64"))));
        String cancelled =
                api.submit(Map.of("type", "sleep", "payload", Map.of("seconds", 600), "selectors", List.of("runners")));
        browser.waitUpTo(UI_WAIT)
                .until(d -> "RUNNING".equals(api.task(cancelled).get("state").asText()));
        api.post("/api/v1/tasks/" + cancelled + "/cancel", Map.of());
        ids.add(cancelled);
        ids.add(api.submit(
                Map.of("type", "sleep", "payload", Map.of("seconds", 600), "selectors", List.of("runners"))));
        browser.waitUpTo(UI_WAIT)
                .until(d -> ids.stream()
                        .map(i -> api.task(i).get("state").asText())
                        .toList()
                        .equals(List.of("SUCCEEDED", "FAILED", "NOT_ASSIGNED", "CANCELLED", "RUNNING")));
    }

    /** The entries of a .tar.gz as text, read with the system's tar as a user would. */
    private static Map<String, String> untar(Path archive) throws IOException {
        Path dir = Files.createTempDirectory(work, "unpacked");
        try {
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString())
                    .redirectErrorStream(true)
                    .start();
            assertThat(tar.waitFor())
                    .as(new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, String> files = new java.util.TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }

    /** The real delegate process, from the built jar; a missing or unreadable jar fails the test. */
    private static Runnable startDelegate(String name, String group) {
        DelegateProcess process =
                track(DelegateProcess.start(name, manager, group, Map.of("DELEGATE_NAME", name), work));
        process.awaitConnected();
        return process::kill9;
    }

    /** POSTs a form from the page with fetch, with or without the page's CSRF token; "status text". */
    private static String fetch(String path, String form, boolean withToken) {
        return (String) browser.driver()
                .executeAsyncScript(
                        "var done = arguments[arguments.length - 1];"
                                + "var headers = {'Content-Type': 'application/x-www-form-urlencoded'};"
                                + "if (arguments[2]) { headers['X-CSRF-Token'] = document.querySelector('meta[name=csrf-token]').content; }"
                                + "fetch(arguments[0], {method: 'POST', headers: headers, body: arguments[1]})"
                                + ".then(function (r) { return r.text().then(function (t) { done(r.status + ' ' + t); }); });",
                        path,
                        form,
                        withToken);
    }

    /** Finds the row of the delegate named arguments[0], by its data attribute (the name may be anything). */
    private static final String FIND_ROW = "var name = arguments[0]; var row = Array.prototype.find.call("
            + "document.querySelectorAll('.delegate'), function (r) { return r.dataset.delegateName === name; });";

    private static String badgeOf(String delegate) {
        return (String) browser.script(
                FIND_ROW + " return row ? row.querySelector('.badge.status').textContent.trim() : null;", delegate);
    }

    private static String rowText(String delegate) {
        return (String) browser.script(FIND_ROW + " return row ? row.textContent : null;", delegate);
    }

    @SuppressWarnings("unchecked")
    private static List<String> chipsOf(String delegate) {
        return (List<String>) browser.script(
                FIND_ROW
                        + " return Array.prototype.map.call(row.querySelectorAll('.chip'), function (c) { return c.textContent; });",
                delegate);
    }

    private static boolean dialogOpen(String id) {
        return Boolean.TRUE.equals(browser.script("return document.getElementById(arguments[0]).open;", id));
    }

    private static WebElement active() {
        return browser.driver().switchTo().activeElement();
    }

    private static <T extends AutoCloseable> T track(T closeable) {
        RUNNING.add(closeable);
        return closeable;
    }
}
