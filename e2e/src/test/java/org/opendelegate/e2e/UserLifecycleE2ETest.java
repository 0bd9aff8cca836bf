package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.Browser;
import org.opendelegate.e2e.support.ManagerProcess;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A user leaves, in real Chromium against the built Manager jar: an admin disables them in the console and
 * the user's own open browser session is refused on its next page load, their API key on its next call;
 * then enable, role change and delete (behind a confirm that starts on Cancel); and the Audit page shows
 * it all and filters it.
 */
class UserLifecycleE2ETest {
    private static final Duration UI_WAIT = Duration.ofSeconds(15);
    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("opendelegate.screenshotDir", "target/screenshots"));
    private static ManagerProcess manager;
    private static Browser admin;
    private static Browser mia;

    @BeforeAll
    static void start() {
        Path work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("users-" + UUID.randomUUID().toString().substring(0, 8));
        manager = ManagerProcess.start("manager", work.resolve("data"), 0, Map.of());
        admin = new Browser();
        mia = new Browser();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {mia, admin, manager}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // Closing the rest matters more than this one's failure.
            }
        }
    }

    @Test
    void disableEnableChangeRoleDeleteAndReadItInTheAuditPage() {
        Api api = manager.api();
        Api.Response created =
                api.post("/api/v1/users", Map.of("username", "mia", "role", "VIEWER", "password", "mia-password-123"));
        String id = created.json().get("id").asText();
        String key = api.post("/api/v1/users/" + id + "/api-keys", Map.of("name", "mia-ci"))
                .json()
                .get("key")
                .asText();
        Api miaApi = new Api(manager.url(), key);
        assertThat(miaApi.get("/api/v1/users").status()).isEqualTo(200);
        mia.signIn(manager.url(), "mia", "mia-password-123");
        admin.signIn(manager.url(), "admin", ManagerProcess.ADMIN_PASSWORD);
        admin.driver().get(manager.url() + "/setup/users");

        byLabel("Disable mia").click();
        admin.waitUpTo(UI_WAIT).until(d -> "disabled".equals(row().getAttribute("data-state")));
        assertThat(row().getText()).contains("Disabled");

        mia.driver().get(manager.url() + "/setup/delegates");
        assertThat(mia.driver().getCurrentUrl()).contains("/login");
        assertThat(miaApi.get("/api/v1/users").status()).isEqualTo(401);

        byLabel("Enable mia").click();
        admin.waitUpTo(UI_WAIT).until(d -> "active".equals(row().getAttribute("data-state")));
        assertThat(miaApi.get("/api/v1/users").status()).isEqualTo(200);
        new Select(admin.driver().findElement(By.id("role-" + id))).selectByValue("ADMIN");
        byLabel("Change role of mia").click();
        admin.waitUpTo(UI_WAIT)
                .until(d -> row().findElement(By.cssSelector(".role")).getText().equals("Admin"));
        assertThat(api.get("/api/v1/users/" + id).json().get("role").asText()).isEqualTo("ADMIN");

        byLabel("Delete mia").click();
        admin.waitUpTo(UI_WAIT)
                .until(d -> (Boolean) admin.script("return document.getElementById('confirm-dialog').open;"));
        assertThat(admin.driver().switchTo().activeElement().getText()).isEqualTo("Cancel");
        admin.driver().findElement(By.id("confirm-ok")).click();
        admin.waitUpTo(UI_WAIT)
                .until(d -> d.findElements(By.cssSelector("tr[data-username='mia']"))
                        .isEmpty());
        assertThat(api.get("/api/v1/users/" + id).status()).isEqualTo(404);
        assertThat(miaApi.get("/api/v1/users").status()).isEqualTo(401);

        admin.driver()
                .findElement(By.cssSelector("a.nav-item[href='/setup/audit']"))
                .click();
        admin.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().endsWith("/setup/audit"));
        List<String> actions = actions();
        assertThat(actions)
                .contains("user.deleted", "user.role_changed", "user.enabled", "user.disabled", "api-key.created");
        admin.screenshot(SCREENSHOTS.resolve("audit-page.png"));
        WebElement action = admin.driver().findElement(By.id("audit-action"));
        action.sendKeys("user.disabled");
        admin.driver().findElement(By.id("audit-apply")).click();
        admin.waitUpTo(UI_WAIT).until(d -> d.getCurrentUrl().contains("action=user.disabled"));
        assertThat(actions()).isNotEmpty().containsOnly("user.disabled");
        assertThat(admin.text("#audit-table tbody")).contains("mia");
    }

    private static WebElement byLabel(String label) {
        return admin.waitUpTo(UI_WAIT).until(d -> d.findElement(By.cssSelector("button[aria-label='" + label + "']")));
    }

    private static WebElement row() {
        return admin.driver().findElement(By.cssSelector("tr[data-username='mia']"));
    }

    private static List<String> actions() {
        return admin.driver().findElements(By.cssSelector("#audit-table tbody tr")).stream()
                .map(r -> r.getAttribute("data-action"))
                .toList();
    }
}
