package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.Axe;
import org.opendelegate.e2e.support.Browser;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.e2e.support.ScriptedDelegate;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Every console page at phone width (390×844) and desktop width (1440×900) in real Chromium: nothing
 * scrolls sideways, the page's primary action is on screen, axe-core finds no accessibility violation, and a
 * screenshot of each is kept. Then the keyboard: where focus lands after an action, the drawer, the focus
 * ring; and the offline banner while the Manager process is stopped. One browser and one Manager throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleLayoutE2ETest {
    private static final Duration UI_WAIT = Duration.ofSeconds(15);
    private static final Path SCREENSHOTS = Path.of(
                    System.getProperty("opendelegate.screenshotDir", "target/screenshots"))
            .resolve("layout");
    private static final int[][] VIEWPORTS = {{390, 844}, {1440, 900}};
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static Path work;
    private static ManagerProcess manager;
    private static Browser browser;
    private static Api api;
    private static Axe axe;
    private static String groupId;
    private static String profileId;
    private static String providerId;
    private static String taskId;

    /** A console page, the button that is its primary action (null: none), and a dialog it opens (or null). */
    private record Page(String name, String path, String primary, String dialogOpener, String dialog) {}

    @BeforeAll
    static void start() {
        axe = Axe.load();
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("layout-" + UUID.randomUUID().toString().substring(0, 8));
        manager = track(ManagerProcess.start(
                "manager", work.resolve("data"), 0, Map.of("OPENDELEGATE_NO_ELIGIBLE_WAIT", "2s")));
        api = manager.api();
        track(new ScriptedDelegate(manager.url(), "ip-10-0-1-12.ec2.internal", "ecs-prod")
                .ecs("EC2")
                .start());
        groupId = api.delegate("ip-10-0-1-12.ec2.internal").get("groupId").asText();
        assertThat(api.post("/api/v1/delegate-tokens", Map.of("name", "build-hosts", "groupId", groupId))
                        .status())
                .isEqualTo(201);
        Map<String, Object> profile = new HashMap<>();
        profile.put("name", "install-tools");
        profile.put("script", "#!/bin/bash\nset -euo pipefail\napt-get install -y jq\necho tools ready\n");
        profile.put("required", false);
        profile.put("selectors", List.of("tools"));
        profile.put("timeoutSeconds", 120);
        profileId = created(api.post("/api/v1/delegate-profiles", profile));
        providerId = created(api.post(
                "/api/v1/cloud-providers",
                Map.of(
                        "name", "AWS production",
                        "type", "AWS",
                        "region", "us-east-1",
                        "credentials", Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", List.of("aws-prod")))));
        taskId = api.submit(Map.of("type", "echo", "selectors", List.of("gpu")));
        assertThat(api.post(
                                "/api/v1/users",
                                Map.of("username", "vic", "role", "VIEWER", "password", "vic-only-looks-123"))
                        .status())
                .isEqualTo(201);
        assertThat(api.post(
                                "/api/v1/secrets",
                                Map.of("name", "db-password", "description", "the database", "value", "s3cret-123"))
                        .status())
                .isEqualTo(201);
        browser = track(new Browser());
        browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
    }

    @Test
    @Order(1)
    void everyPageFitsAPhoneAndADesktopAndAxeFindsNothing() {
        List<String> problems = new ArrayList<>();
        for (int[] size : VIEWPORTS) {
            browser.viewport(size[0], size[1]);
            browser.driver().manage().deleteAllCookies();
            browser.driver().get(manager.url() + "/login");
            check("login", size[0], null, problems);
        }
        browser.viewport(0, 0);
        browser.signIn(manager.url(), "admin", ManagerProcess.ADMIN_PASSWORD);
        browser.waitUpTo(UI_WAIT)
                .until(d -> "NOT_ASSIGNED".equals(api.task(taskId).get("state").asText()));
        List<Page> pages = List.of(
                new Page("delegates", "/setup/delegates", "download-delegate", "download-delegate", "install-dialog"),
                new Page(
                        "trusted-identities",
                        "/setup/delegates/groups/" + groupId + "/trusted-identities",
                        null,
                        null,
                        null),
                new Page("tokens", "/setup/delegate-tokens", "new-token", "new-token", "token-dialog"),
                new Page("profiles", "/setup/delegate-profiles", "new-profile", null, null),
                new Page("profile", "/setup/delegate-profiles/" + profileId, null, null, null),
                new Page("profile-editor", "/setup/delegate-profiles/new", "profile-save", null, null),
                new Page("providers", "/setup/cloud-providers", "new-provider", "new-provider", "provider-dialog"),
                new Page("provider", "/setup/cloud-providers/" + providerId, "test-provider", null, null),
                new Page("tasks", "/tasks", null, null, null),
                new Page("task", "/tasks/" + taskId, null, null, null),
                new Page("run-script", "/tasks/run", null, null, null),
                new Page("users", "/setup/users", "new-user", null, null),
                new Page("secrets", "/setup/secrets", "new-secret", "new-secret", "secret-dialog"),
                new Page("secret", "/setup/secrets/db-password", null, null, null),
                new Page("audit", "/setup/audit", null, null, null),
                new Page("not-found", "/setup/nothing-here", null, null, null));
        for (int[] size : VIEWPORTS) {
            browser.viewport(size[0], size[1]);
            for (Page page : pages) {
                browser.driver().get(manager.url() + page.path());
                // A lookup the page is waiting for shows its indicator; check the page once none is showing.
                browser.waitUpTo(UI_WAIT)
                        .until(d -> d.findElements(By.cssSelector(".panel-loading")).stream()
                                .noneMatch(e -> e.isDisplayed()));
                check(page.name(), size[0], page.primary(), problems);
                if (page.dialog() != null) {
                    browser.driver().findElement(By.id(page.dialogOpener())).click();
                    browser.waitUpTo(UI_WAIT).until(d -> dialogOpen(page.dialog()));
                    Object fits = browser.script(
                            "var r = document.getElementById(arguments[0]).getBoundingClientRect();"
                                    + " return r.left >= 0 && r.right <= window.innerWidth && r.top >= 0"
                                    + " && r.bottom <= window.innerHeight;",
                            page.dialog());
                    if (!Boolean.TRUE.equals(fits)) {
                        problems.add(page.name() + " dialog at " + size[0] + " px: does not fit the screen");
                    }
                    check(page.name() + "-dialog", size[0], null, problems);
                    browser.script("document.getElementById(arguments[0]).close();", page.dialog());
                }
            }
        }
        browser.viewport(0, 0);
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    /**
     * The drawer slides in (0.2 s): it shows from the first frame, but what is in it reads as hidden and empty to the
     * browser until it is in view.
     */
    private void waitUntilTheDrawerIsIn() {
        browser.waitUpTo(UI_WAIT)
                .until(d -> Boolean.TRUE.equals(browser.script("var s = document.getElementById('sidebar');"
                        + " return getComputedStyle(s).visibility === 'visible'"
                        + " && Math.round(s.getBoundingClientRect().left) >= 0;")));
    }

    @Test
    @Order(2)
    void atPhoneWidthTheNavigationIsADrawerTheKeyboardOpensAndEscapeCloses() {
        browser.viewport(390, 844);
        browser.driver().get(manager.url() + "/setup/delegate-tokens");
        WebElement menu = browser.driver().findElement(By.id("menu-button"));
        WebElement sidebar = browser.driver().findElement(By.id("sidebar"));
        assertThat(menu.isDisplayed()).isTrue();
        assertThat(menu.getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(sidebar.isDisplayed())
                .as("the closed drawer is out of sight")
                .isFalse();

        menu.sendKeys(Keys.ENTER);
        waitUntilTheDrawerIsIn();
        assertThat(menu.getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(active().getDomAttribute("aria-current"))
                .as("focus moves to the current page's item in the drawer, not " + outer(active()))
                .isEqualTo("page");
        assertThat(active().getText()).isEqualTo("Delegate Tokens");
        assertThat(browser.script("return document.getElementById('main').inert;"))
                .isEqualTo(true);
        browser.screenshot(SCREENSHOTS.resolve("drawer-390.png"));

        active().sendKeys(Keys.ESCAPE);
        browser.waitUpTo(UI_WAIT).until(d -> !sidebar.isDisplayed());
        assertThat(menu.getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(active().getAttribute("id")).isEqualTo("menu-button");
        assertThat(browser.script("return document.getElementById('main').inert;"))
                .isEqualTo(false);

        // Every page of the navigation is reachable from the drawer.
        menu.sendKeys(Keys.ENTER);
        waitUntilTheDrawerIsIn();
        WebElement tasks = browser.driver().findElement(By.cssSelector("#sidebar a[href='/tasks']"));
        assertThat(tasks.isDisplayed()).isTrue();
        tasks.sendKeys(Keys.ENTER);
        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().endsWith("/tasks"));
        browser.viewport(0, 0);
    }

    @Test
    @Order(3)
    void theFocusRingIsSolidAndContrastsOnTheSidebarAndTheContent() {
        browser.viewport(0, 0);
        browser.driver().get(manager.url() + "/setup/delegate-tokens");
        // Shift+Tab back from the first control of the page into the navigation: keyboard focus, so :focus-visible.
        WebElement current = browser.driver().findElement(By.cssSelector(".nav-item[aria-current=page]"));
        browser.script("arguments[0].focus();", current);
        active().sendKeys(Keys.TAB);
        active().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
        assertThat(active().getDomAttribute("aria-current")).as(outer(active())).isEqualTo("page");
        assertRing(active(), "#sidebar");

        WebElement newToken = browser.driver().findElement(By.id("new-token"));
        WebElement before = previousFocusable(newToken);
        browser.script("arguments[0].focus();", before);
        active().sendKeys(Keys.TAB);
        assertThat(active().getAttribute("id")).isEqualTo("new-token");
        assertRing(active(), "body");
    }

    @Test
    @Order(4)
    void aNewTokensSecretTakesFocusAndRevokeAsksWithCancelFocusedThenFocusesTheRow() {
        browser.viewport(0, 0);
        browser.driver().get(manager.url() + "/setup/delegate-tokens");
        browser.driver().findElement(By.id("new-token")).sendKeys(Keys.ENTER);
        assertThat(dialogOpen("token-dialog")).isTrue();
        active().sendKeys("ci-token", Keys.ENTER);

        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.id("created-token")).isEmpty());
        browser.waitUpTo(UI_WAIT).until(d -> "created-token".equals(active().getAttribute("id")));
        assertThat(active().getText()).contains("Token ci-token created");

        String tokenId = tokenNamed("ci-token");
        WebElement revoke = browser.driver().findElement(By.id("revoke-" + tokenId));
        assertThat(revoke.getAttribute("aria-label")).isEqualTo("Revoke ci-token");
        assertThat(browser.driver().findElements(By.cssSelector("#token-table [data-confirm-action]")))
                .allSatisfy(b -> assertThat(b.getAttribute("aria-label")).startsWith("Revoke "));
        revoke.sendKeys(Keys.ENTER);
        assertThat(dialogOpen("confirm-dialog")).isTrue();
        assertThat(active().getAttribute("id")).isEqualTo("confirm-cancel");

        // Enter on the focused button cancels: nothing is revoked, focus is back on Revoke.
        active().sendKeys(Keys.ENTER);
        browser.waitUpTo(UI_WAIT).until(d -> !dialogOpen("confirm-dialog"));
        assertThat(active().getAttribute("id")).isEqualTo("revoke-" + tokenId);
        assertThat(tokenStatus(tokenId)).isEqualTo("ACTIVE");

        active().sendKeys(Keys.ENTER);
        assertThat(active().getAttribute("id")).isEqualTo("confirm-cancel");
        active().sendKeys(Keys.TAB);
        assertThat(active().getAttribute("id")).isEqualTo("confirm-ok");
        active().sendKeys(Keys.ENTER);

        browser.waitUpTo(UI_WAIT).until(d -> "REVOKED".equals(tokenStatus(tokenId)));
        browser.waitUpTo(UI_WAIT).until(d -> ("token-" + tokenId).equals(active().getAttribute("id")));
        assertThat(active().getText()).contains("ci-token", "Revoked");
        browser.screenshot(SCREENSHOTS.resolve("after-revoke-1440.png"));
    }

    @Test
    @Order(5)
    void whileTheManagerIsStoppedABannerSaysSinceWhenAndItsReturnIsAnnounced() {
        browser.viewport(0, 0);
        browser.driver().get(manager.url() + "/setup/delegates");
        browser.waitUpTo(UI_WAIT).until(d -> browser.text("#board").contains("ip-10-0-1-12.ec2.internal"));
        WebElement banner = browser.driver().findElement(By.id("offline-banner"));
        assertThat(banner.isDisplayed()).isFalse();
        int port = manager.port();

        manager.kill9();
        browser.waitUpTo(Duration.ofSeconds(20)).until(d -> banner.isDisplayed());
        assertThat(banner.getText()).matches("Offline since \\d{1,2}:\\d{2}.*— what you see may be stale.*");
        assertThat(browser.driver().findElement(By.id("main")).getAttribute("class"))
                .contains("is-stale");
        assertThat(browser.text(".summary-live")).isEqualTo("Offline");
        assertThat(browser.script("return getComputedStyle(document.getElementById('board')).opacity;"))
                .as("the stale list is dimmed")
                .isNotEqualTo("1");
        browser.script("document.getElementById('toasts').replaceChildren();");
        browser.screenshot(SCREENSHOTS.resolve("offline-1440.png"));

        manager = track(ManagerProcess.start(
                "manager-again", work.resolve("data"), port, Map.of("OPENDELEGATE_NO_ELIGIBLE_WAIT", "2s")));
        browser.waitUpTo(Duration.ofSeconds(30)).until(d -> !banner.isDisplayed());
        assertThat(browser.driver().findElement(By.id("main")).getAttribute("class"))
                .doesNotContain("is-stale");
        assertThat(browser.text("#toasts")).contains("Back online.");
        assertThat(browser.driver().findElement(By.id("toasts")).getAttribute("aria-live"))
                .isEqualTo("polite");
        assertThat(browser.text(".summary-live")).isEqualTo("Live");
    }

    /** Checks the page as it is: no sideways scroll, primary action on screen, no axe violation; screenshot. */
    private static void check(String name, int width, String primary, List<String> problems) {
        String where = name + " at " + width + " px";
        long started = System.nanoTime();
        browser.script("document.activeElement.blur(); window.scrollTo(0, 0);");
        List<?> widths = (List<?>) browser.script("return [document.documentElement.scrollWidth, window.innerWidth];");
        long scrollWidth = ((Number) widths.get(0)).longValue();
        long innerWidth = ((Number) widths.get(1)).longValue();
        if (scrollWidth > innerWidth) {
            problems.add(
                    where + ": scrolls sideways (" + scrollWidth + " px wide in " + innerWidth + " px)" + widest());
        }
        if (primary != null
                && !Boolean.TRUE.equals(browser.script(
                        "var e = document.getElementById(arguments[0]); if (!e) { return false; }"
                                + " if (e.getBoundingClientRect().bottom > window.innerHeight) { e.scrollIntoView({block: 'nearest'}); }"
                                + " var r = e.getBoundingClientRect();"
                                + " return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth"
                                + " && r.top >= 0 && r.bottom <= window.innerHeight;",
                        primary))) {
            problems.add(where + ": the primary action #" + primary + " is not on screen");
        }
        for (String violation : axe.violations(browser)) {
            problems.add(where + ": " + violation);
        }
        browser.script("window.scrollTo(0, 0);");
        browser.screenshot(SCREENSHOTS.resolve(name + "-" + width + ".png"));
        System.out.println(where + " checked in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    /** The elements sticking out furthest to the right, to say what makes a page scroll sideways. */
    private static String widest() {
        return " — widest: "
                + browser.script("var w = window.innerWidth; return Array.prototype.filter.call("
                        + "document.querySelectorAll('body *'), function (e) { return e.getBoundingClientRect().right > w + 1; })"
                        + ".slice(-4).map(function (e) { return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
                        + " + (e.className && e.className.baseVal === undefined ? '.' + String(e.className).trim().replace(/\\s+/g, '.') : '')"
                        + " + ' ' + Math.round(e.getBoundingClientRect().right); }).join(', ');");
    }

    /** The element's focus ring: solid, at least 2 px, and at least 3:1 against the background of {@code on}. */
    private static void assertRing(WebElement element, String on) {
        List<?> style = (List<?>) browser.script(
                "var s = getComputedStyle(arguments[0]); var b = getComputedStyle(document.querySelector(arguments[1]));"
                        + " return [s.outlineStyle, s.outlineWidth, s.outlineColor, b.backgroundColor];",
                element,
                on);
        assertThat(style.get(0)).as("outline style").isEqualTo("solid");
        assertThat(Double.parseDouble(((String) style.get(1)).replace("px", "")))
                .as("outline width")
                .isGreaterThanOrEqualTo(2);
        assertThat(contrast((String) style.get(2), (String) style.get(3)))
                .as("ring " + style.get(2) + " on " + style.get(3))
                .isGreaterThanOrEqualTo(3.0);
    }

    private static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String rgb) {
        Matcher m = Pattern.compile("(\\d+),\\s*(\\d+),\\s*(\\d+)").matcher(rgb);
        assertThat(m.find()).as(rgb).isTrue();
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Integer.parseInt(m.group(i + 1)) / 255.0;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    private static String outer(WebElement element) {
        String html = (String) browser.script("return arguments[0].outerHTML;", element);
        return html.length() > 300 ? html.substring(0, 300) : html;
    }

    private static WebElement previousFocusable(WebElement element) {
        return (WebElement) browser.script(
                "var all = Array.prototype.filter.call(document.querySelectorAll('a[href], button, input, select'),"
                        + " function (e) { return e.offsetParent !== null; });"
                        + " return all[all.indexOf(arguments[0]) - 1];",
                element);
    }

    private static String tokenNamed(String name) {
        for (var t : api.get("/api/v1/delegate-tokens").json().get("tokens")) {
            if (name.equals(t.get("name").asText())) {
                return t.get("id").asText();
            }
        }
        throw new AssertionError("no token " + name);
    }

    private static String tokenStatus(String id) {
        for (var t : api.get("/api/v1/delegate-tokens").json().get("tokens")) {
            if (id.equals(t.get("id").asText())) {
                return t.get("status").asText();
            }
        }
        throw new AssertionError("no token " + id);
    }

    private static String created(Api.Response r) {
        assertThat(r.status()).as(r.json().toString()).isEqualTo(201);
        return r.json().get("id").asText();
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
