package io.conveyor.worker.handler.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fetcher on its own, against a real HTTP server on loopback: bodies, redirects, statuses, caps and refusals. */
class SafeFetcherTest {

    private static final byte[] BODY = "not really an image".getBytes(StandardCharsets.UTF_8);
    private static final long CAP = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** The settings a test fetcher runs with. */
    record Settings(boolean allowPrivate, long maxBytes, Duration timeout) implements FetchConfig {}

    private static HttpServer server;
    private static final List<String> requests = new CopyOnWriteArrayList<>();
    private static final List<String> accepts = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", SafeFetcherTest::answer);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void returnsTheBodyWithItsContentTypeAndSendsTheAcceptHeader() throws Exception {
        Fetched fetched = fetcher(true).fetch(url("/body"), "text/plain", CAP, TIMEOUT);

        assertArrayEquals(BODY, fetched.body());
        assertEquals(Optional.of("text/plain"), fetched.contentType());
        assertEquals("text/plain", accepts.get(accepts.size() - 1));
    }

    @Test
    void followsARedirectToTheFinalBody() throws Exception {
        Fetched fetched = fetcher(true).fetch(url("/hop"), "*/*", CAP, TIMEOUT);

        assertArrayEquals(BODY, fetched.body());
        assertEquals("/body", requests.get(requests.size() - 1));
    }

    @Test
    void refusesALoopbackAddressWithoutConnectingUnlessPrivateAddressesAreAllowed() {
        int before = requests.size();

        FetchRefusedException refused = assertThrows(
                FetchRefusedException.class, () -> fetcher(false).fetch(url("/body"), "*/*", CAP, TIMEOUT));

        assertTrue(refused.getMessage().contains("127.0.0.1, a loopback address"), refused.getMessage());
        assertEquals(before, requests.size(), "the server was contacted");
    }

    @Test
    void refusesASchemeOtherThanHttp() {
        FetchRefusedException refused = assertThrows(
                FetchRefusedException.class,
                () -> fetcher(true).fetch(URI.create("file:///etc/passwd"), "*/*", CAP, TIMEOUT));

        assertEquals("Source must be http or https, not 'file'", refused.getMessage());
    }

    @Test
    void reportsAClientErrorAsAStatusNotWorthRetrying() {
        FetchStatusException failed = assertThrows(
                FetchStatusException.class, () -> fetcher(true).fetch(url("/missing"), "*/*", CAP, TIMEOUT));

        assertEquals(404, failed.status());
        assertFalse(failed.retryable());
    }

    @Test
    void reportsAServerErrorAsAStatusWorthRetrying() {
        FetchStatusException failed =
                assertThrows(FetchStatusException.class, () -> fetcher(true).fetch(url("/busy"), "*/*", CAP, TIMEOUT));

        assertEquals(503, failed.status());
        assertTrue(failed.retryable());
    }

    @Test
    void refusesABodyThatStreamsPastTheCap() {
        FetchRefusedException refused =
                assertThrows(FetchRefusedException.class, () -> fetcher(true).fetch(url("/big"), "*/*", CAP, TIMEOUT));

        assertEquals("The source is larger than " + CAP + " bytes", refused.getMessage());
    }

    private static SafeFetcher fetcher(boolean allowPrivate) {
        Settings settings = new Settings(allowPrivate, CAP, TIMEOUT);
        return new SafeFetcher(new Network(settings), settings);
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(path);
        accepts.add(String.valueOf(exchange.getRequestHeaders().getFirst("Accept")));
        try (exchange) {
            switch (path) {
                case "/body" -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, BODY.length);
                    exchange.getResponseBody().write(BODY);
                }
                case "/hop" -> {
                    exchange.getResponseHeaders().set("Location", "/body");
                    exchange.sendResponseHeaders(302, -1);
                }
                case "/busy" -> exchange.sendResponseHeaders(503, -1);
                case "/big" -> {
                    // Chunked: no Content-Length, so only the cap applied while streaming can stop it.
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    for (int i = 0; i < 10; i++) {
                        out.write(new byte[(int) CAP / 4]);
                        out.flush();
                    }
                }
                default -> exchange.sendResponseHeaders(404, -1);
            }
        } catch (IOException e) {
            // The fetcher hung up on a body over its cap.
        }
    }
}
