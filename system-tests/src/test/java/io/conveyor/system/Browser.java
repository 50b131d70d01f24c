package io.conveyor.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.awaitility.Awaitility.await;

/**
 * A headless Chromium driven through ChromeDriver, for tests of the pages the gateway serves. Both binaries are the
 * machine's (Debian's chromium and chromium-driver, or CHROMIUM and CHROMEDRIVER): with the driver's path given,
 * Selenium never runs Selenium Manager, so nothing is downloaded and no usage statistics are sent (the module's
 * surefire settings also set SE_OFFLINE and SE_AVOID_STATS, should it ever run). Each browser has a fresh profile,
 * deleted on {@link #close()}, and records the page's console so a test can assert there was no JavaScript error.
 */
final class Browser implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private static final String INSTALL = "install them with `apt-get install -y chromium chromium-driver` "
            + "(bash .ci/run does), or point CHROMIUM and CHROMEDRIVER at other builds";

    private final ChromeDriver driver;
    private final Path profile;
    private final Duration startup;
    /** ChromeDriver hands out each console entry once; those read so far, in order. */
    private final List<LogEntry> console = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile, Duration startup) {
        this.driver = driver;
        this.profile = profile;
        this.startup = startup;
    }

    /** Starts a headless Chromium whose viewport (what media queries see, and screenshots show) has this size. */
    static Browser open(int widthPx, int heightPx) {
        File chromium = executable("CHROMIUM", "/usr/bin/chromium");
        File chromedriver = executable("CHROMEDRIVER", "/usr/bin/chromedriver");
        Path profile;
        try {
            profile = Files.createTempDirectory("conveyor-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // No network of Chromium's own (updates, sync, safe browsing lists, QUIC probes): tests reach only the apps.
        // Even with all these switches Chromium 156 still looks up accounts.google.com and clients2.google.com at
        // start; resolving no name but the loopback's stops that, and any other surprise: the apps are on 127.0.0.1.
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-domain-reliability",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                "--user-data-dir=" + profile,
                "--window-size=" + widthPx + "," + heightPx);
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        Path logs = Path.of(System.getProperty("conveyor.logs", "target/app-logs"));
        ChromeDriverService service;
        try {
            Files.createDirectories(logs);
            service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(chromedriver)
                    .usingAnyFreePort()
                    .withLogFile(
                            Files.createTempFile(logs, "chromedriver-", ".log").toFile())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long started = System.nanoTime();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            delete(profile);
            throw e;
        }
        Browser browser = new Browser(driver, profile, Duration.ofNanos(System.nanoTime() - started));
        try {
            return browser.viewport(widthPx, heightPx);
        } catch (RuntimeException e) {
            browser.close();
            throw e;
        }
    }

    private static File executable(String variable, String standard) {
        String path = System.getenv().getOrDefault(variable, standard);
        File file = new File(path);
        if (!file.canExecute()) {
            throw new IllegalStateException(
                    "Browser tests need Chromium and ChromeDriver, but " + path + " is not there: " + INSTALL);
        }
        return file;
    }

    ChromeDriver driver() {
        return driver;
    }

    /** How long ChromeDriver took to start Chromium and open the session. */
    Duration startup() {
        return startup;
    }

    /** Loads {@code url} and returns once its load event has fired. */
    Browser get(String url) {
        driver.get(url);
        return this;
    }

    /**
     * Sets the viewport's size in CSS pixels at a device scale of 1. The window size alone does not: headless Chromium
     * still takes room for a toolbar it does not draw (a 1280 x 800 window has a 1280 x 657 viewport).
     */
    Browser viewport(int widthPx, int heightPx) {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", widthPx, "height", heightPx, "deviceScaleFactor", 1, "mobile", false));
        return this;
    }

    /** Writes a PNG of the viewport to {@code file} (creating its directory) and returns the file. */
    Path screenshot(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Emulates the operating system's colour scheme preference (CSS {@code prefers-color-scheme}) through the
     * DevTools protocol; holds for later navigations too, until changed again.
     */
    Browser prefersDark(boolean dark) {
        driver.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
        return this;
    }

    /** Waits up to {@link #WAIT} until {@code condition} returns neither null nor false; returns what it returned. */
    <T> T waitFor(Function<? super WebDriver, T> condition) {
        return waitFor(WAIT, condition);
    }

    /** Selenium's polling wait (every 100 ms), failing with a TimeoutException that names the condition. */
    <T> T waitFor(Duration atMost, Function<? super WebDriver, T> condition) {
        // Live pages replace their elements every few seconds: one read between a find and its use is stale, not a
        // failure; the next poll reads the new element.
        return new WebDriverWait(driver, atMost, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    /** Runs {@code script} in the page (it may {@code return} a value) and answers its result. */
    Object script(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Every console message and uncaught error of the pages loaded so far (or since clearConsole), oldest first. */
    List<LogEntry> console() {
        console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
        return List.copyOf(console);
    }

    /** Forgets the console entries so far: {@link #console()} and {@link #errors()} start again from here. */
    void clearConsole() {
        console();
        console.clear();
    }

    /** Console errors and uncaught exceptions (Chrome reports both as SEVERE), failed loads of resources included. */
    List<String> errors() {
        return console().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Fails naming them if any page logged an error or threw an uncaught exception. */
    void assertNoErrors() {
        List<String> errors = errors();
        if (!errors.isEmpty()) {
            throw new AssertionError("The browser's console has errors: " + errors);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            delete(profile);
        }
    }

    /** Chromium may still be flushing the profile for a moment after quit: retries until the directory is gone. */
    private static void delete(Path dir) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> {
                    deleteTree(dir);
                    return !Files.exists(dir);
                });
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException gone) {
            // Removed meanwhile.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
