package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.e2e.support.Axe;
import org.opendelegate.e2e.support.Browser;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.e2e.support.MotoServer;
import org.opendelegate.testkit.FakeEcs;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * Deployments in real Chromium against the built Manager, a real delegate, moto and the fake ECS in front of it: a
 * person fills the Deploy form (provider → region → cluster → service from the lookups, then an image), previews
 * the change, deploys, follows the deployment's page to Succeeded with its timeline and ECS events, and rolls it
 * back; axe finds nothing, and the pages fit a phone. Screenshots go to {@code target/screenshots/deploy-*.png}.
 */
class DeploymentsBrowserE2ETest {
    private static final Duration UI_WAIT = Duration.ofSeconds(45);
    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("opendelegate.screenshotDir", "target/screenshots"));
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static MotoServer moto;
    private static FakeEcs ecs;
    private static ManagerProcess manager;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Path work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("deploy-console-" + UUID.randomUUID().toString().substring(0, 8));
        moto = track(MotoServer.start(work));
        ecs = track(FakeEcs.inFrontOf(moto.endpoint()));
        moto.aws("ecs", "create-cluster", "--cluster-name", "prod");
        moto.aws(
                "ecs",
                "register-task-definition",
                "--family",
                "web",
                "--container-definitions",
                "[{\"name\":\"web\",\"image\":\"nginx:1.25\",\"memory\":128}]");
        moto.aws(
                "ecs",
                "create-service",
                "--cluster",
                "prod",
                "--service-name",
                "web",
                "--task-definition",
                "web",
                "--desired-count",
                "1");
        manager = track(ManagerProcess.start(
                "manager", work.resolve("data"), 0, Map.of("OPENDELEGATE_NO_ELIGIBLE_WAIT", "2s")));
        Map<String, String> env = new HashMap<>(moto.environment());
        env.put("AWS_ENDPOINT_URL", ecs.endpoint());
        env.put("DELEGATE_NAME", "deployer-1");
        env.put("DELEGATE_ECS_POLL_INTERVAL", "200ms");
        track(DelegateProcess.start("delegate", manager, "deployers", env, work))
                .awaitConnected();
        assertThat(manager.api()
                        .post(
                                "/api/v1/cloud-providers",
                                Map.of(
                                        "name",
                                        "AWS production",
                                        "type",
                                        "AWS",
                                        "region",
                                        MotoServer.REGION,
                                        "credentials",
                                        Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", List.of("deployers"))))
                        .status())
                .isEqualTo(201);
        browser = track(new Browser());
        browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        browser.signIn(manager.url(), "admin", ManagerProcess.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
    }

    @Test
    void aPersonPreviewsDeploysFollowsAndRollsBackAServiceByKeyboardAndMouse() {
        Axe axe = Axe.load();
        ecs.script(
                FakeEcs.Rollout.completesAfter(4)
                        .withEvents(
                                "(service web) has started 1 tasks: (task abc).",
                                "(service web) has reached a steady state."),
                FakeEcs.Rollout.completesAfter(2));
        browser.driver().findElement(By.linkText("Deployments")).click();
        browser.waitUpTo(UI_WAIT).until(d -> browser.text("h1").equals("Deployments"));
        browser.driver().findElement(By.id("new-deployment")).sendKeys(Keys.ENTER);
        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().endsWith("/deployments/new"));
        // One provider: chosen already, with its region; its delegate lists the clusters.
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.id("deploy-cluster-listed")).isEmpty());
        assertThat(browser.driver().findElement(By.id("deploy-region")).getAttribute("value"))
                .isEqualTo(MotoServer.REGION);
        assertThat(browser.driver().findElements(By.cssSelector("#deploy-cluster-choices option[value=prod]")))
                .hasSize(1);
        browser.driver().findElement(By.id("deploy-cluster")).sendKeys("prod", Keys.TAB);
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.cssSelector("#deploy-service-choices option[value=web]"))
                        .isEmpty());
        browser.driver().findElement(By.id("deploy-service")).sendKeys("web");
        browser.driver().findElement(By.id("deploy-image")).sendKeys("nginx:1.27");
        assertThat(axe.violations(browser)).isEmpty();
        browser.screenshot(SCREENSHOTS.resolve("deploy-form.png"));

        browser.driver().findElement(By.id("preview-submit")).click();
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.id("deploy-submit")).isEmpty());
        assertThat(browser.text("#deployment-diff"))
                .contains("containerDefinitions[web].image", "nginx:1.25", "nginx:1.27");
        assertThat(ecs.mutatingCalls()).as("a preview changes nothing").isEmpty();
        assertThat(axe.violations(browser)).isEmpty();
        browser.screenshot(SCREENSHOTS.resolve("deploy-preview.png"));

        browser.driver().findElement(By.id("deploy-submit")).click();
        browser.waitUpTo(UI_WAIT)
                .until(d -> d.getCurrentUrl().matches(".*/deployments/[^/]+$")
                        && !d.getCurrentUrl().endsWith("/new"));
        String first = browser.driver().getCurrentUrl();
        browser.waitUpTo(UI_WAIT).until(d -> browser.text(".task-head .badge").equals("Succeeded"));
        assertThat(browser.texts("#deployment-steps .timeline-name"))
                .containsSubsequence("Prepare", "Register task definition", "Update service", "Wait for steady state");
        assertThat(browser.text("#deployment-to")).contains("nginx:1.27");
        assertThat(browser.text("#task-log")).contains("has reached a steady state");
        assertThat(axe.violations(browser)).isEmpty();
        browser.screenshot(SCREENSHOTS.resolve("deploy-succeeded.png"));
        browser.viewport(390, 844);
        assertThat((Boolean) browser.script("return document.documentElement.scrollWidth <= window.innerWidth;"))
                .as("the deployment's page fits a phone")
                .isTrue();
        browser.screenshot(SCREENSHOTS.resolve("deploy-succeeded-phone.png"));
        browser.viewport(0, 0);

        browser.driver().findElement(By.id("rollback-deployment")).click();
        assertThat(browser.driver().switchTo().activeElement().getAttribute("id"))
                .isEqualTo("confirm-cancel");
        browser.driver().findElement(By.id("confirm-ok")).click();
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.getCurrentUrl().equals(first)
                        && !d.findElements(By.id("deployment-rollback-of")).isEmpty());
        browser.waitUpTo(UI_WAIT).until(d -> browser.text(".task-head .badge").equals("Succeeded"));
        assertThat(browser.text("#deployment-to")).contains("nginx:1.25");
        assertThat(axe.violations(browser)).isEmpty();

        browser.driver().get(manager.url() + "/deployments");
        assertThat(browser.texts(".deployments-table tbody tr")).hasSize(3);
        browser.viewport(390, 844);
        assertThat((Boolean) browser.script("return document.documentElement.scrollWidth <= window.innerWidth;"))
                .as("the list fits a phone")
                .isTrue();
        assertThat(axe.violations(browser)).isEmpty();
        browser.screenshot(SCREENSHOTS.resolve("deploy-list-phone.png"));
        browser.viewport(0, 0);
    }

    private static <T extends AutoCloseable> T track(T closeable) {
        RUNNING.add(closeable);
        return closeable;
    }
}
