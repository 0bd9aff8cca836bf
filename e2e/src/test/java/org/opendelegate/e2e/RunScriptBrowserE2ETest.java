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
import org.opendelegate.e2e.support.ManagerProcess;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** Tasks → Run script in real Chromium: a mistake shown next to its field, then a script submitted by keyboard. */
class RunScriptBrowserE2ETest {
    private static final Duration UI_WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("opendelegate.screenshotDir", "target/screenshots"));
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static ManagerProcess manager;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Path work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("run-script-" + UUID.randomUUID().toString().substring(0, 8));
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

    @Test
    void anAdminRunsAScriptFromTheTasksPage() {
        browser.signIn(manager.url(), "admin", ManagerProcess.ADMIN_PASSWORD);
        browser.driver().get(manager.url() + "/tasks");
        browser.driver().findElement(By.id("run-script")).sendKeys(Keys.ENTER);
        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().endsWith("/tasks/run"));
        assertThat(browser.text("h1")).isEqualTo("Run script");

        fill("ecs-prod", "OPENDELEGATE_TOKEN=stolen");
        browser.driver().findElement(By.id("run-submit")).click();

        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.id("run-env-error")).isEmpty());
        assertThat(browser.text("#run-env-error")).contains("starts with OPENDELEGATE_");
        assertThat(browser.driver().findElement(By.id("run-env")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(browser.driver().findElement(By.id("run-script")).getAttribute("value"))
                .isEqualTo("if true; then\n  echo hello\nfi");
        browser.screenshot(SCREENSHOTS.resolve("run-script-error.png"));

        WebElement env = browser.driver().findElement(By.id("run-env"));
        env.clear();
        env.sendKeys("DEPLOY_ENV=prod");
        browser.driver().findElement(By.id("run-submit")).click();

        browser.waitUpTo(UI_WAIT)
                .until(d -> d.getCurrentUrl().matches(".*/tasks/[^/]+$")
                        && !d.getCurrentUrl().endsWith("/tasks/run"));
        assertThat(browser.text(".task-type-title")).isEqualTo("shell.script");
        assertThat(browser.text("#task-payload")).contains("DEPLOY_ENV", "echo hello");
    }

    /** Types the form by keyboard: selectors, then the script with Tab indenting inside the editor. */
    private static void fill(String selectors, String env) {
        browser.driver().findElement(By.id("run-selectors")).sendKeys(selectors);
        WebElement script = browser.driver().findElement(By.id("run-script"));
        script.sendKeys(
                "if true; then",
                Keys.ENTER,
                Keys.TAB,
                "echo hello",
                Keys.ENTER,
                Keys.chord(Keys.SHIFT, Keys.TAB),
                "fi");
        browser.driver().findElement(By.id("run-env")).sendKeys(env);
    }
}
