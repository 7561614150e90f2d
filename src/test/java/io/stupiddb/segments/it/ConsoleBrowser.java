package io.stupiddb.segments.it;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Headless Chromium driven through the system chromedriver, for the console ITs. Both come from
 * the Debian packages {@code chromium} and {@code chromium-driver}; they are used by path
 * ({@code -Dconsole.chromium}, {@code -Dconsole.chromedriver} to override), never looked up or
 * downloaded by Selenium Manager (no network here). Missing binaries fail the test, naming the
 * packages. Screenshots go to {@code -Dconsole.screenshots} (default target/console-screenshots;
 * {@code docs} refreshes the README's images).
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    private final ChromeDriver driver;
    private final WebDriverWait wait;

    ConsoleBrowser() {
        Path chromium = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));
        for (Path binary : List.of(chromium, chromedriver)) {
            if (!Files.isExecutable(binary)) {
                fail(binary + " is missing: the console ITs drive headless Chromium. Install the Debian packages"
                        + " chromium and chromium-driver (apt-get install -y chromium chromium-driver), or point"
                        + " -Dconsole.chromium / -Dconsole.chromedriver at other binaries.");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,1000",
                "--no-first-run",
                "--disable-extensions",
                "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        // The page re-renders the timeline on every refresh: an element found a moment ago may be gone.
        wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until an element matching {@code css} is displayed; returns it. */
    WebElement visible(String css) {
        return wait.withMessage(() -> "no visible " + css + " within " + WAIT).until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
        });
    }

    <T> T until(String what, ExpectedCondition<T> condition) {
        return until(what, WAIT, condition);
    }

    <T> T until(String what, Duration timeout, ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, timeout)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .withMessage(() -> what + " (waited " + timeout + ")")
                .until(condition);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** What the browser console logged since the last call, at level SEVERE (errors, failed loads). */
    List<String> severeLogs() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString)
                .toList();
    }

    /** A PNG of the top of the page as {@code console-<name>.png} in the screenshot directory. */
    Path screenshot(String name) throws IOException {
        script("window.scrollTo(0, 0)");
        return save(name, ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE));
    }

    /** A PNG of one element as {@code console-<name>.png}; the window grows for a moment to hold all of it. */
    Path screenshot(String name, WebElement element) throws IOException {
        org.openqa.selenium.Dimension window = driver.manage().window().getSize();
        int height = element.getSize().getHeight();
        driver.manage()
                .window()
                .setSize(new org.openqa.selenium.Dimension(
                        window.getWidth(), Math.max(window.getHeight(), height + 400)));
        try {
            script("arguments[0].scrollIntoView()", element);
            return save(name, element.getScreenshotAs(OutputType.FILE));
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    private static Path save(String name, File shot) throws IOException {
        Path dir = Path.of(System.getProperty("console.screenshots", "target/console-screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve("console-" + name + ".png");
        Files.write(file, Files.readAllBytes(shot.toPath())); // a new file, not the temp file's 0600
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
