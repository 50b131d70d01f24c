package io.conveyor.system;

import java.awt.image.BufferedImage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The browser-test machinery works against a packaged gateway: the machine's Chromium starts headless through
 * ChromeDriver without fetching anything, loads the gateway's pages, takes screenshots, emulates the dark colour
 * scheme and reports the page's console errors. The operator console's own tests build on {@link Browser}.
 */
class BrowserSmokeTest {

    private static final int WIDTH = 1280;
    private static final int HEIGHT = 800;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static App gateway;
    private static Browser browser;

    @BeforeAll
    static void start() {
        gateway = App.gateway(Map.of());
        browser = Browser.open(WIDTH, HEIGHT);
        System.out.println("Chromium started in " + browser.startup().toMillis() + " ms");
        gateway.awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            App.forgetState();
        }
    }

    /** Each test asserts on its own pages' console only. */
    @BeforeEach
    void forgetConsole() {
        browser.clearConsole();
    }

    @Test
    void loadsAGatewayPageAndScreenshotsIt() throws Exception {
        browser.get(gateway.uri("/q/health").toString());
        String text = browser.waitFor(d -> {
            String body = d.findElement(By.tagName("body")).getText();
            return body.contains("\"status\"") ? body : null;
        });
        assertTrue(text.contains("UP"), text);
        // Not browser.assertNoErrors(): the gateway has no /favicon.ico, and Chromium logs the 404 of the request
        // it makes for one, sometimes before this point and sometimes after. The console's pages must declare an icon.

        Path file = browser.screenshot(Path.of("target", "screenshots", "gateway-health.png"));
        byte[] png = Files.readAllBytes(file);
        assertTrue(png.length > PNG.length, "empty screenshot " + file);
        assertArrayEquals(PNG, Arrays.copyOf(png, PNG.length), "not a PNG: " + file);
        BufferedImage image = ImageIO.read(file.toFile());
        // The screenshot is the viewport, which Browser.open sized.
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        assertEquals(List.of(1280L, 800L), browser.script("return [innerWidth, innerHeight]"));
    }

    @Test
    void emulatesTheDarkColourScheme() {
        String page = "<style>body{color:rgb(0,0,0)}"
                + "@media (prefers-color-scheme: dark){body{color:rgb(255,255,255)}}</style><body>colours</body>";
        try {
            browser.prefersDark(true).get(dataUrl(page));
            assertEquals("rgb(255, 255, 255)", browser.script("return getComputedStyle(document.body).color"));
            assertEquals(true, browser.script("return matchMedia('(prefers-color-scheme: dark)').matches"));

            browser.prefersDark(false).get(dataUrl(page));
            assertEquals("rgb(0, 0, 0)", browser.script("return getComputedStyle(document.body).color"));
        } finally {
            browser.prefersDark(false);
        }
    }

    @Test
    void reportsTheConsoleErrorsOfAPage() {
        browser.get(dataUrl("<script>console.log('smoke: fine')</script>"));
        browser.waitFor(
                d -> browser.console().stream().anyMatch(e -> e.getMessage().contains("smoke: fine")));
        browser.assertNoErrors();

        browser.get(dataUrl("<script>console.error('smoke: logged'); null.boom;</script>"));
        List<String> errors = browser.waitFor(d -> {
            List<String> all = browser.errors();
            return all.size() >= 2 ? all : null;
        });
        assertTrue(errors.stream().anyMatch(e -> e.contains("smoke: logged")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("TypeError")), errors.toString());
        AssertionError failed = assertThrows(AssertionError.class, browser::assertNoErrors);
        assertTrue(failed.getMessage().contains("smoke: logged"), failed.getMessage());
    }

    private static String dataUrl(String html) {
        return "data:text/html;charset=utf-8,"
                + URLEncoder.encode(html, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
