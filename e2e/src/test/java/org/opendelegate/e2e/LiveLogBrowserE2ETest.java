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
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.Browser;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A script's log on its task page in real Chromium, as it runs on a real delegate: 1,000 lines at about 100 a
 * second arrive live, each once and in order; ANSI colours show as colours (never as escape codes); standard
 * error is marked; the search box finds and filters; the full log downloads.
 */
class LiveLogBrowserE2ETest {
    private static final Duration UI_WAIT = Duration.ofSeconds(60);
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static ManagerProcess manager;
    private static Api api;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Path work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("live-log-" + UUID.randomUUID().toString().substring(0, 8));
        manager = track(ManagerProcess.start("manager", work.resolve("data"), 0, Map.of()));
        api = manager.api();
        track(DelegateProcess.start("delegate", manager, "live", Map.of("DELEGATE_NAME", "live-1"), work))
                .awaitConnected();
        browser = track(new Browser());
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
    }

    @Test
    void aRunningScriptsLogFollowsLiveWithColoursStderrSearchAndDownload() {
        browser.signIn(manager.url(), "admin", ManagerProcess.ADMIN_PASSWORD);
        String script = "printf '\\033[31mred alert\\033[0m plain\\n'; echo 'oops on stderr' >&2; "
                + "for i in $(seq 1 1000); do echo \"line $i\"; sleep 0.01; done; echo done-marker";
        String id = api.submit(Map.of("type", "shell.script", "payload", Map.of("script", script)));
        browser.driver().get(manager.url() + "/tasks/" + id);

        browser.waitUpTo(UI_WAIT).until(d -> browser.text("#task-log").contains("done-marker"));
        Object numbered = browser.script("var seen = [];"
                + "document.querySelectorAll('#task-log .log-line .log-text').forEach(function (t) {"
                + "  var m = /^line (\\d+)$/.exec(t.textContent); if (m) { seen.push(parseInt(m[1], 10)); } });"
                + "for (var i = 0; i < seen.length; i++) { if (seen[i] !== i + 1) { return 'out of order at ' + i; } }"
                + "return seen.length;");
        assertThat(numbered).as("every line once, in order").isEqualTo(1000L);

        WebElement red = browser.driver().findElement(By.cssSelector("#task-log .ansi-fg-1"));
        assertThat(red.getText()).isEqualTo("red alert");
        assertThat(browser.text("#task-log"))
                .contains("red alert plain")
                .doesNotContain("[31m")
                .doesNotContain("[0m");
        assertThat(browser.text("#task-log .log-line.is-stderr")).contains("oops on stderr");

        browser.driver().findElement(By.id("log-search")).sendKeys("line 99");
        browser.driver().findElement(By.id("log-only-matches")).click();
        Object visible =
                browser.script("return Array.prototype.filter.call(document.querySelectorAll('#task-log .log-line'),"
                        + " function (l) { return !l.hidden; }).length;");
        // "line 99" and "line 990" to "line 999".
        assertThat(visible).isEqualTo(11L);
        assertThat(browser.driver().findElements(By.cssSelector("#task-log .log-line.is-match")))
                .hasSize(11);

        assertThat(browser.driver().findElement(By.id("log-download")).getAttribute("href"))
                .endsWith("/tasks/" + id + "/log.txt");
        assertThat(api.text("/api/v1/tasks/" + id + "/log.txt"))
                .contains("line 1000")
                .contains("[stderr] oops on stderr");
    }

    private static <T extends AutoCloseable> T track(T closeable) {
        RUNNING.add(closeable);
        return closeable;
    }
}
