package org.opendelegate.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Debian Chromium, headless, driven through the system chromedriver. Nothing is downloaded: the
 * driver path is given, so Selenium Manager never runs.
 */
public final class Browser implements AutoCloseable {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;
    private final Path profile;
    private final Path downloads;

    public Browser() {
        try {
            this.profile = Files.createTempDirectory("opendelegate-chromium");
            this.downloads = Files.createTempDirectory("opendelegate-downloads");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1440,1000",
                "--user-data-dir=" + profile);
        // Downloads land in a directory of their own, without asking.
        options.setExperimentalOption(
                "prefs",
                java.util.Map.of(
                        "download.default_directory",
                        downloads.toString(),
                        "download.prompt_for_download",
                        false,
                        "safebrowsing.enabled",
                        false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1440, 1000));
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Where the browser saves downloads. */
    public Path downloads() {
        return downloads;
    }

    public WebDriverWait waitUpTo(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(100));
        // While a page is being replaced, an element found a moment ago goes stale; Chromium sometimes says so
        // with a generic inspector error ("Node with given id does not belong to the document") instead of
        // a StaleElementReferenceException. A wait polls again; an error that persists still ends the wait,
        // as the cause of its timeout.
        wait.ignoring(
                org.openqa.selenium.StaleElementReferenceException.class, org.openqa.selenium.WebDriverException.class);
        return wait;
    }

    /** The visible text of the first element the CSS selector finds. */
    public String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    /** The visible texts of every element the CSS selector finds. */
    public List<String> texts(String css) {
        return driver.findElements(By.cssSelector(css)).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** Signs in on the sign-in page with the keyboard: type, Tab, type, Enter. */
    public void signIn(String baseUrl, String username, String password) {
        driver.manage().deleteAllCookies();
        driver.get(baseUrl + "/login");
        WebElement user = driver.findElement(By.id("username"));
        user.clear();
        user.sendKeys(username, Keys.TAB, password, Keys.ENTER);
        waitUpTo(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("/setup/"));
    }

    /**
     * Makes the page see a viewport of this size, as a phone (touch, meta viewport honoured) below 768 px wide;
     * {@code 0, 0} goes back to the window's own.
     */
    public void viewport(int width, int height) {
        if (width == 0) {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
            return;
        }
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 768));
    }

    /** Saves a PNG of the window. */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a script; {@code return} gives its value. */
    public Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
