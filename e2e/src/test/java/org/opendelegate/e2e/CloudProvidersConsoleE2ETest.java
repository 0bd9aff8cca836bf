package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opendelegate.e2e.support.Browser;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.e2e.support.MotoServer;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Setup → Cloud Providers in real Chromium against the built Manager, a real delegate and moto: add a
 * provider with the dialog, Test it, browse region → clusters → services and VPC → subnets and security
 * groups, add an access-key provider whose secret no page ever shows, and see a failing Test explain itself.
 * Screenshots go to {@code target/screenshots/cloud-providers-*.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CloudProvidersConsoleE2ETest {
    private static final Duration UI_WAIT = Duration.ofSeconds(30);
    private static final String XSS = "<img src=x onerror=window.__xss=1>";
    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("opendelegate.screenshotDir", "target/screenshots"));
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static final List<String> PAGES = new ArrayList<>();
    private static JsonNode seeded;
    private static Path work;
    private static String motoEndpoint;
    private static ManagerProcess manager;
    private static Browser browser;

    @BeforeAll
    static void start() {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("providers-console-" + UUID.randomUUID().toString().substring(0, 8));
        MotoServer moto = track(MotoServer.start(work));
        seeded = moto.seedForProviders(work);
        motoEndpoint = moto.environment().get("AWS_ENDPOINT_URL");
        manager = track(ManagerProcess.start(
                "manager", work.resolve("data"), 0, Map.of("OPENDELEGATE_NO_ELIGIBLE_WAIT", "2s")));
        Map<String, String> env = new HashMap<>(moto.environment());
        env.put("DELEGATE_NAME", "console-aws-1");
        track(DelegateProcess.start("delegate", manager, "console-aws", env, work))
                .awaitConnected();
        browser = track(new Browser());
        browser.signIn(manager.url(), "admin", ManagerProcess.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
    }

    @Test
    @Order(1)
    void addAProviderWithTheDialogAndMeetItsPage() {
        browser.driver().findElement(By.linkText("Cloud Providers")).click();
        browser.waitUpTo(UI_WAIT).until(d -> browser.text("h1").equals("Cloud Providers"));
        assertThat(browser.text(".empty h2")).isEqualTo("No cloud providers yet");
        browser.screenshot(SCREENSHOTS.resolve("cloud-providers-empty.png"));

        browser.driver().findElement(By.id("new-provider")).click();
        WebElement name = browser.driver().findElement(By.id("provider-name"));
        name.sendKeys("AWS e2e " + XSS);
        browser.driver().findElement(By.id("provider-selector-input")).sendKeys("console-aws", Keys.ENTER);
        assertThat(browser.driver().findElement(By.id("provider-key-id")).isDisplayed())
                .isFalse();
        browser.screenshot(SCREENSHOTS.resolve("cloud-providers-dialog.png"));
        browser.driver().findElement(By.id("provider-submit")).click();

        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().matches(".*/setup/cloud-providers/[0-9a-f-]{36}$"));
        assertThat(browser.text(".provider-title")).isEqualTo("AWS e2e " + XSS);
        assertThat(browser.script("return window.__xss === undefined;")).isEqualTo(true);
        assertThat(browser.text(".provider-facts")).contains("Assume IAM Role on Delegate", "console-aws");
    }

    @Test
    @Order(2)
    void testItAndBrowseClustersServicesVpcsSubnetsAndSecurityGroups() {
        // The page asks a delegate for nothing until a person does.
        assertThat(browser.driver().findElements(By.cssSelector("#browse-clusters .pick")))
                .isEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("#browse-region option")))
                .hasSize(1);
        browser.driver().findElement(By.id("browse-clusters-start")).click();
        browser.driver().findElement(By.id("browse-vpcs-start")).click();
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.cssSelector("#browse-clusters .pick"))
                                .isEmpty()
                        && !d.findElements(By.cssSelector("#browse-vpcs .pick")).isEmpty());
        browser.driver().findElement(By.id("test-provider")).click();
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.id("test-outcome")).isEmpty());
        assertThat(browser.text("#test-outcome"))
                .contains("Connected as arn:aws:sts::123456789012:user/moto in account "
                        + "123456789012 through delegate console-aws-1");
        assertThat(browser.text("#last-test")).contains("Connected", "via console-aws-1");
        browser.waitUpTo(UI_WAIT)
                .until(d ->
                        d.findElements(By.cssSelector("#browse-region option")).size() > 1);
        assertThat(browser.driver().findElements(By.cssSelector("#browse-clusters .pick")))
                .hasSize(seeded.get("clusters").asInt());

        browser.driver()
                .findElement(By.xpath("//div[@id='browse-clusters']//button[.//span[text()='cluster-000']]"))
                .click();
        browser.waitUpTo(UI_WAIT).until(d -> browser.text("#browse-services").contains("worker"));
        assertThat(browser.texts("#browse-services .plain-list li")).containsExactlyInAnyOrder("web", "api", "worker");
        browser.driver()
                .findElement(By.xpath("//div[@id='browse-vpcs']//button[.//span[text()='"
                        + seeded.get("vpcId").asText() + "']]"))
                .click();
        browser.waitUpTo(UI_WAIT).until(d -> browser.text("#browse-network").contains("sg-e2e-2"));
        assertThat(browser.driver().findElements(By.cssSelector(".subnets-table tbody tr")))
                .hasSize(seeded.get("subnets").asInt());
        assertThat(browser.text(".subnets-table tbody tr:first-child")).contains("us-east-1", "/28");
        String before = browser.driver()
                .findElement(By.cssSelector("#browse-vpcs .panel-foot a"))
                .getAttribute("href");
        browser.driver().findElement(By.id("browse-refresh")).click();
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.cssSelector("#browse-vpcs .panel-foot a"))
                                .isEmpty()
                        && !before.equals(d.findElement(By.cssSelector("#browse-vpcs .panel-foot a"))
                                .getAttribute("href")));
        browser.script("window.scrollTo(0, 0);");
        browser.screenshot(SCREENSHOTS.resolve("cloud-providers-detail.png"));
        PAGES.add(browser.driver().getPageSource());
    }

    @Test
    @Order(3)
    void anAccessKeyProviderConnectsAsItsUserAndNoPageShowsItsSecret() {
        String secret = seeded.get("secretAccessKey").asText();
        browser.driver().get(manager.url() + "/setup/cloud-providers");
        browser.driver().findElement(By.id("new-provider")).click();
        browser.driver().findElement(By.id("provider-name")).sendKeys("AWS keys");
        browser.driver()
                .findElement(By.cssSelector("label.choice:has(#mode-key)"))
                .click();
        browser.driver()
                .findElement(By.id("provider-key-id"))
                .sendKeys(seeded.get("accessKeyId").asText());
        browser.driver().findElement(By.id("provider-secret")).sendKeys(secret);
        browser.driver().findElement(By.id("provider-submit")).click();
        browser.waitUpTo(UI_WAIT).until(d -> browser.text("h1").contains("AWS keys"));

        browser.driver().findElement(By.id("test-provider")).click();
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.id("test-outcome")).isEmpty());
        assertThat(browser.text("#test-outcome")).contains("arn:aws:iam::123456789012:user/ci");
        PAGES.add(browser.driver().getPageSource());
        browser.driver().findElement(By.id("edit-provider")).click();
        WebElement secretField = browser.driver().findElement(By.id("provider-secret"));
        assertThat(secretField.getAttribute("value")).isEmpty();
        assertThat(secretField.getAttribute("placeholder")).isEqualTo("Leave blank to keep the stored secret");
        browser.screenshot(SCREENSHOTS.resolve("cloud-providers-edit.png"));
        browser.driver().findElement(By.id("provider-submit")).click();
        browser.waitUpTo(UI_WAIT)
                .until(d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());
        browser.driver().findElement(By.id("test-provider")).click();
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.id("test-outcome")).isEmpty());
        assertThat(browser.text("#test-outcome"))
                .as("saved without the secret: the stored one is kept")
                .contains("arn:aws:iam::123456789012:user/ci");
        browser.driver().get(manager.url() + "/setup/cloud-providers");
        PAGES.add(browser.driver().getPageSource());
        browser.screenshot(SCREENSHOTS.resolve("cloud-providers-list.png"));
        for (String row : browser.texts(".provider-row .provider-link")) {
            assertThat(row).isNotBlank();
        }
        // The tasks this console ran are lookups, hidden from the Tasks list unless asked for.
        browser.driver().get(manager.url() + "/tasks?source=all");
        PAGES.add(browser.driver().getPageSource());
        browser.driver().findElement(By.cssSelector("tr[data-href]")).click();
        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().contains("/tasks/"));
        PAGES.add(browser.driver().getPageSource());

        assertThat(PAGES).noneMatch(page -> page.contains(secret));
    }

    @Test
    @Order(4)
    void aProviderNoDelegateCanServeExplainsWhyAndLinksToTheTask() {
        browser.driver().get(manager.url() + "/setup/cloud-providers");
        browser.driver().findElement(By.id("new-provider")).click();
        browser.driver().findElement(By.id("provider-name")).sendKeys("Nobody's");
        browser.driver().findElement(By.id("provider-selector-input")).sendKeys("gpu-fleet", Keys.ENTER);
        browser.driver().findElement(By.id("provider-submit")).click();
        browser.waitUpTo(UI_WAIT).until(d -> browser.text("h1").contains("Nobody's"));

        browser.driver().findElement(By.id("test-provider")).click();
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.id("test-outcome")).isEmpty());

        assertThat(browser.text("#test-outcome"))
                .contains("Not connected", "no connected delegate has selector gpu-fleet");
        assertThat(browser.text("#last-test"))
                .as("without a reload")
                .contains("Failed")
                .doesNotContain("never");
        browser.driver().findElement(By.id("browse-vpcs-start")).click();
        browser.waitUpTo(UI_WAIT).until(d -> browser.text("#browse-vpcs").contains("gpu-fleet"));
        browser.screenshot(SCREENSHOTS.resolve("cloud-providers-test-failed.png"));
        browser.driver().findElement(By.linkText("Open the task")).click();
        browser.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().contains("/tasks/"));
        assertThat(browser.text("#selection")).contains("gpu-fleet");
    }

    @Test
    @Order(5)
    void aDelegateWithoutCredentialsFailsWithOneSentenceAndTheDetailsFoldedOnce() {
        Map<String, String> env = new HashMap<>();
        env.put("DELEGATE_NAME", "no-creds-1");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");
        env.put("AWS_CONFIG_FILE", "/nonexistent/config");
        env.put("AWS_ENDPOINT_URL", motoEndpoint);
        track(DelegateProcess.start("no-creds", manager, "no-creds", env, work)).awaitConnected();
        browser.driver().get(manager.url() + "/setup/cloud-providers");
        browser.driver().findElement(By.id("new-provider")).click();
        browser.driver().findElement(By.id("provider-name")).sendKeys("No credentials");
        browser.driver().findElement(By.id("provider-selector-input")).sendKeys("no-creds", Keys.ENTER);
        browser.driver().findElement(By.id("provider-submit")).click();
        browser.waitUpTo(UI_WAIT).until(d -> browser.text("h1").contains("No credentials"));

        browser.driver().findElement(By.id("test-provider")).click();
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.id("test-outcome")).isEmpty());
        browser.driver().findElement(By.id("browse-clusters-start")).click();
        browser.waitUpTo(UI_WAIT)
                .until(d -> !d.findElements(By.cssSelector("#browse-clusters .lookup-error"))
                        .isEmpty());

        assertThat(browser.text("#test-outcome [role=alert]"))
                .contains("Not connected", "no-creds-1", "has no AWS credentials")
                .doesNotContain("AwsCredentialsProviderChain");
        assertThat(browser.text("#browse-clusters [role=alert]")).doesNotContain("AwsCredentialsProviderChain");
        List<WebElement> shown = browser.driver().findElements(By.cssSelector("details.technical-details")).stream()
                .filter(WebElement::isDisplayed)
                .toList();
        assertThat(shown).as("technical details, shown once on the page").hasSize(1);
        assertThat(shown.get(0).getAttribute("open")).as("folded").isNull();
        assertThat(browser.driver().findElements(By.cssSelector("[role=alert]")).stream()
                        .filter(WebElement::isDisplayed)
                        .toList())
                .as("alerts on screen: the Test's sentence and the browse panel's")
                .hasSize(2);
        browser.screenshot(SCREENSHOTS.resolve("cloud-providers-no-credentials.png"));
    }

    private static <T extends AutoCloseable> T track(T closeable) {
        RUNNING.add(closeable);
        return closeable;
    }
}
