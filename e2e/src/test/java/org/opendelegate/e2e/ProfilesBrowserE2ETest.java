package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.e2e.support.Browser;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The Delegate Profiles page and the profile badge of the Delegates page in real Chromium, by keyboard. */
class ProfilesBrowserE2ETest {
    private static final Duration UI_WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("opendelegate.screenshotDir", "target/screenshots"));
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static Path work;
    private static ManagerProcess manager;
    private static Browser browser;

    @BeforeAll
    static void start() {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("profiles-browser-" + UUID.randomUUID().toString().substring(0, 8));
        manager = track(ManagerProcess.start("manager", work.resolve("data"), 0, Map.of()));
        browser = track(new Browser());
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
    }

    private static <T extends AutoCloseable> T track(T closeable) {
        RUNNING.add(closeable);
        return closeable;
    }

    private static WebElement active() {
        return browser.driver().switchTo().activeElement();
    }

    @Test
    void createAProfileByKeyboardSeeItFailOnADelegateAndReadItsOutput() {
        browser.signIn(manager.url(), "admin", ManagerProcess.ADMIN_PASSWORD);
        browser.driver().get(manager.url() + "/setup/delegate-profiles");
        assertThat(browser.text("h1")).isEqualTo("Delegate Profiles");
        assertThat(browser.text(".profiles-table")).contains("Primary", "default");

        browser.driver().findElement(By.id("new-profile")).sendKeys(Keys.ENTER);
        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().endsWith("/setup/delegate-profiles/new"));
        browser.driver()
                .findElement(By.id("profile-name"))
                .sendKeys("Build Tools", Keys.TAB, "Installs the build CLI", Keys.TAB, "tools", Keys.ENTER);
        WebElement script = browser.driver().findElement(By.id("profile-script"));
        script.sendKeys(
                Keys.chord(Keys.CONTROL, "a"),
                Keys.BACK_SPACE,
                "echo 'installing tools'",
                Keys.ENTER,
                "if true; then",
                Keys.ENTER,
                Keys.TAB,
                "echo 'cli not found' >&2",
                Keys.ENTER,
                "exit 2",
                Keys.ENTER,
                Keys.chord(Keys.SHIFT, Keys.TAB),
                "fi");
        assertThat(script.getAttribute("value"))
                .isEqualTo("echo 'installing tools'\nif true; then\n  echo 'cli not " + "found' >&2\n  exit 2\nfi");
        assertThat(active().getAttribute("id"))
                .as("Tab indents, Enter keeps the indent, Shift+Tab outdents")
                .isEqualTo("profile-script");
        assertThat(browser.text("#profile-script-meta")).contains("5 lines", "of 64 KiB");
        assertThat(browser.text(".code-gutter")).startsWith("1\n2\n3\n4\n5");
        browser.screenshot(SCREENSHOTS.resolve("profiles-editor.png"));
        script.sendKeys(Keys.ESCAPE, Keys.TAB);
        assertThat(active().getAttribute("id"))
                .as("Esc, then Tab leaves the editor")
                .isNotEqualTo("profile-script");
        script.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));

        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().contains("?saved=1"));
        assertThat(browser.text("h1")).contains("Build Tools", "v1");
        assertThat(browser.text("#profile-script-view")).contains("exit 2");
        String profileId = browser.driver().getCurrentUrl().replaceAll(".*/setup/delegate-profiles/([^?]+).*", "$1");

        track(DelegateProcess.start(
                        "tools-1",
                        manager,
                        "builders",
                        Map.of(
                                "DELEGATE_NAME",
                                "tools-1",
                                "DELEGATE_PROFILE",
                                "Build Tools",
                                "DELEGATE_WORK_DIR",
                                work.resolve("tools-1").toString()),
                        work))
                .awaitConnected();
        browser.driver().get(manager.url() + "/setup/delegates");
        By badge = By.cssSelector("#board [data-profile-output][data-delegate-name='tools-1']");
        browser.waitUpTo(UI_WAIT).until(d -> d.findElement(badge).getText().equals("Failed (exit 2)"));
        browser.screenshot(SCREENSHOTS.resolve("profiles-delegates-badge.png"));
        browser.driver().findElement(badge).sendKeys(Keys.ENTER);
        browser.waitUpTo(UI_WAIT)
                .until(d -> d.findElements(By.id("profile-output-text")).size() == 1);
        assertThat(browser.text("#profile-output-text")).isEqualTo("installing tools\ncli not found");
        assertThat(browser.text("#profile-output-title")).isEqualTo("Profile output of tools-1");
        browser.screenshot(SCREENSHOTS.resolve("profiles-output-dialog.png"));
        active().sendKeys(Keys.ESCAPE);

        browser.driver().get(manager.url() + "/setup/delegate-profiles/" + profileId);
        assertThat(browser.text("#profile-users")).contains("tools-1", "Failed (exit 2)");
        browser.driver().get(manager.url() + "/setup/delegate-profiles");
        assertThat(browser.text("#profile-" + profileId))
                .contains("Build Tools", "v1", "Required", "tools", "1 failing");
        browser.screenshot(SCREENSHOTS.resolve("profiles-page.png"));
    }
}
