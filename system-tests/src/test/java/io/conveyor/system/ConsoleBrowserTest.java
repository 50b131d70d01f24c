package io.conveyor.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.conveyor.testsupport.LocalBroker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser (Debian's headless Chromium) against a gateway and a worker running as processes:
 * every page opens at its own URL; a dead email task is replayed once its SMTP server is back and succeeds; a paused
 * type's consumers drop to 0 and its tasks wait until it is resumed; a sleep task's progress bar advances. Pages
 * must log no script error. Screenshots go to {@code CONVEYOR_SCREENSHOTS} (docs/console to refresh the README's),
 * else target/screenshots.
 */
class ConsoleBrowserTest {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration LIVE = Duration.ofSeconds(15);
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Path SHOTS =
            Path.of(System.getenv().getOrDefault("CONVEYOR_SCREENSHOTS", "target/screenshots"));

    private static int smtpPort;
    private static GreenMail smtp;
    private static App gateway;
    private static App worker;
    private static Browser browser;

    @BeforeAll
    static void start() {
        try (LocalBroker broker = new LocalBroker().declareTopology()) {
            broker.purgeAll();
        }
        // The SMTP server is not up yet: the first email dies, to be replayed once it is.
        smtpPort = freePort();
        gateway = App.gateway(Map.of());
        worker = App.worker(
                "console-worker",
                Map.of(
                        "SMTP_HOST", "127.0.0.1",
                        "SMTP_PORT", String.valueOf(smtpPort),
                        "CONVEYOR_WORKER_TYPES", "noop,sleep,send_email",
                        "CONVEYOR_WORKER_HEARTBEAT_INTERVAL", "PT1S"));
        browser = Browser.open(1280, 800);
        gateway.awaitReady(START);
        worker.awaitReady(START);
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            for (App app : new App[] {gateway, worker}) {
                if (app != null) {
                    app.close();
                }
            }
            if (smtp != null) {
                smtp.stop();
            }
            try (LocalBroker broker = new LocalBroker()) {
                broker.purgeAll();
            }
            App.forgetState();
        }
    }

    @BeforeEach
    void lightAndWide() {
        browser.prefersDark(false).viewport(1280, 800);
        browser.clearConsole();
    }

    private static String url(String path) {
        return gateway.uri(path).toString();
    }

    @Test
    void everyPageOpensAtItsOwnUrlAndTheOverviewLinksToTheTasks() {
        String id = submit("{\"type\":\"noop\"}");
        awaitStatus(id, "SUCCEEDED");
        browser.get(url("/console"));
        WebElement sleepRow = browser.waitFor(d -> d.findElement(By.cssSelector("tr[data-type='sleep']")));
        // The worker's consumer shows, read from the broker by the live refresh.
        browser.waitFor(LIVE, d -> "1".equals(cell("sleep", "consumers")) ? true : null);
        assertTrue(sleepRow.getAttribute("class").contains("health-ok"), sleepRow.getAttribute("class"));
        browser.screenshot(SHOTS.resolve("overview.png"));

        browser.driver()
                .findElement(By.cssSelector("tr[data-type='noop'] th a"))
                .click();
        browser.waitFor(ExpectedConditions.urlContains("/console/tasks?type=noop"));
        browser.waitFor(d -> d.findElement(By.cssSelector("tr[data-task='" + id + "']")));
        browser.driver()
                .findElement(By.cssSelector("tr[data-task='" + id + "'] a"))
                .click();
        browser.waitFor(ExpectedConditions.urlContains("/console/tasks/" + id));
        assertEquals(
                "SUCCEEDED",
                browser.driver()
                        .findElement(By.cssSelector("[data-figure=status]"))
                        .getText());

        browser.get(url("/console/tasks"));
        new Select(browser.driver().findElement(By.id("status"))).selectByValue("SUCCEEDED");
        browser.driver()
                .findElement(By.cssSelector("form[aria-label='Filter tasks'] button"))
                .click();
        browser.waitFor(ExpectedConditions.urlContains("status=SUCCEEDED"));
        browser.waitFor(d -> d.findElement(By.cssSelector("tr[data-task='" + id + "']")));
        browser.screenshot(SHOTS.resolve("tasks.png"));

        for (String page : List.of("/console", "/console/tasks", "/console/dead-letters", "/console/queues")) {
            browser.get(url(page));
            assertEquals(List.of(), unlabelledControls(), page + ": every control has a name a screen reader says");
        }

        browser.get(url("/console/workers"));
        browser.waitFor(d -> d.findElement(By.cssSelector("tr[data-worker='console-worker']")));
        browser.screenshot(SHOTS.resolve("workers.png"));

        browser.prefersDark(true).get(url("/console"));
        String background = (String) browser.script("return getComputedStyle(document.body).backgroundColor");
        assertEquals("rgb(20, 23, 26)", background, "the dark palette follows the system setting");
        browser.screenshot(SHOTS.resolve("overview-dark.png"));

        // A phone: the page itself never scrolls sideways (wide tables scroll inside their own box).
        browser.prefersDark(false).viewport(390, 844).get(url("/console"));
        browser.waitFor(d -> d.findElement(By.cssSelector("tr[data-type='sleep']")));
        assertEquals(
                Boolean.TRUE,
                browser.script("return document.documentElement.scrollWidth <= window.innerWidth"),
                "the page is wider than a phone");
        browser.screenshot(SHOTS.resolve("overview-phone.png"));
        browser.assertNoErrors();
    }

    @Test
    void aDeadEmailIsReplayedFromTheConsoleAndSucceeds() {
        String id = submit("{\"type\":\"send_email\",\"payload\":{\"to\":\"ops@example.com\",\"subject\":\"Hi\","
                + "\"body\":\"Replayed\"},\"options\":{\"maxAttempts\":1}}");
        awaitStatus(id, "DEAD");
        browser.get(url("/console/dead-letters?type=send_email"));
        WebElement row = browser.waitFor(d -> d.findElement(By.cssSelector("tr[data-dead='" + id + "']")));
        assertTrue(row.getText().contains("exhausted"), row.getText());
        browser.screenshot(SHOTS.resolve("dead-letters.png"));

        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        row.findElement(By.cssSelector("button[aria-label='Replay " + id + "']"))
                .click();
        browser.waitFor(ExpectedConditions.urlContains("done=replayed"));
        browser.waitFor(d -> d.findElement(By.cssSelector("#notice")).getText().contains("Replayed 1 dead letter"));
        assertTrue(browser.driver()
                .findElements(By.cssSelector("tr[data-dead='" + id + "']"))
                .isEmpty());

        browser.get(url("/console/tasks/" + id));
        browser.waitFor(
                LIVE,
                d -> d.findElement(By.cssSelector("[data-figure=status]"))
                                .getText()
                                .equals("SUCCEEDED")
                        ? true
                        : null);
        await().atMost(LIVE).until(() -> smtp.getReceivedMessagesForDomain("ops@example.com").length == 1);
        browser.assertNoErrors();
    }

    @Test
    void pausingATypeDropsItsConsumersAndItsTasksWaitUntilItIsResumed() {
        browser.get(url("/console/queues"));
        WebElement pause = browser.waitFor(d -> d.findElement(By.cssSelector("button[aria-label='Pause noop']")));
        pause.click();
        browser.waitFor(ExpectedConditions.alertIsPresent()).accept();
        browser.waitFor(ExpectedConditions.urlContains("done=paused"));
        browser.waitFor(LIVE, d -> "0".equals(cell("noop", "consumers")) ? true : null);
        assertTrue(gateway.get("/api/v1/queues").body().contains("\"type\":\"noop\",\"paused\":true"));
        browser.screenshot(SHOTS.resolve("queues.png"));

        String id = submit("{\"type\":\"noop\"}");
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> status(id).equals("QUEUED"));

        browser.driver()
                .findElement(By.cssSelector("button[aria-label='Resume noop']"))
                .click();
        browser.waitFor(ExpectedConditions.urlContains("done=resumed"));
        browser.waitFor(LIVE, d -> "1".equals(cell("noop", "consumers")) ? true : null);
        awaitStatus(id, "SUCCEEDED");
        browser.assertNoErrors();
    }

    @Test
    void aSleepTasksProgressBarAdvances() {
        String id = submit("{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT6S\"}}");
        browser.get(url("/console/tasks/" + id));
        long first = browser.waitFor(LIVE, d -> progress() >= 1 ? progress() : null);
        browser.waitFor(LIVE, d -> progress() > first ? true : null);
        browser.screenshot(SHOTS.resolve("task.png"));
        browser.waitFor(
                LIVE,
                d -> d.findElement(By.cssSelector("[data-figure=status]"))
                                .getText()
                                .equals("SUCCEEDED")
                        ? true
                        : null);
        assertTrue(browser.driver()
                .findElement(By.cssSelector(".timeline"))
                .getText()
                .contains("succeeded"));
        browser.assertNoErrors();
    }

    /** The controls of the page that have no accessible name: no label, no aria-label, no text. */
    private static Object unlabelledControls() {
        return browser.script("return Array.from(document.querySelectorAll('input, select, button, textarea'))"
                + ".filter(e => e.type !== 'hidden')"
                + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
                + " && !e.textContent.trim())"
                + ".map(e => e.outerHTML.slice(0, 80));");
    }

    /** The progress bar's value, or -1 while there is none (read in the page: the live refresh replaces the bar). */
    private static long progress() {
        Object value = browser.script("var bar = document.getElementById('progress');"
                + " return bar && bar.hasAttribute('value') ? Number(bar.value) : -1;");
        return ((Number) value).longValue();
    }

    private static String cell(String type, String figure) {
        Object text = browser.script(
                "var cell = document.querySelector(arguments[0]); return cell ? cell.textContent.trim() : null;",
                "tr[data-type='" + type + "'] [data-figure='" + figure + "']");
        return (String) text;
    }

    private static String submit(String json) {
        HttpResponse<String> answer = gateway.postJson("/api/v1/tasks", json);
        assertEquals(202, answer.statusCode(), answer.body());
        Matcher id = ID.matcher(answer.body());
        assertTrue(id.find(), answer.body());
        return id.group(1);
    }

    private static String status(String id) {
        Matcher status = Pattern.compile("\"status\":\"([A-Z_]+)\"")
                .matcher(gateway.get("/api/v1/tasks/" + id).body());
        return status.find() ? status.group(1) : "";
    }

    private static void awaitStatus(String id, String wanted) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals(wanted));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
