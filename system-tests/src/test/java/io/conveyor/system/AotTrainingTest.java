package io.conveyor.system;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;

import io.conveyor.testsupport.LocalBroker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trains the apps' AOT caches (JEP 483, 514, 515) on the work they do in production, and proves the caches load.
 *
 * <p>The gateway and a worker run from their packaged directories with {@code -XX:AOTCacheOutput=app.aot} and the
 * project's JVM options (scripts/jvm-options: a cache is used only with the options it was made with), against the
 * real broker, Redis and an SMTP server. A producer with an API key then submits every task type through the API
 * (valid and invalid requests, idempotency keys, the seed document's request, status reads, long polls, listings,
 * submits that wait for their outcome, artifact downloads whole, by range and by HEAD),
 * the worker runs them all (emails, images fetched over HTTP and from data: URIs, reports, retries and a dead
 * letter), an operator replays and discards dead letters, and a monitor scrapes health and metrics. Both apps are
 * then stopped with SIGTERM: at exit each JVM writes {@code app.aot} next to its {@code quarkus-run.jar}, with the
 * classes it loaded and linked and the profiles of the methods it ran. Finally each app starts once more with
 * {@code -XX:AOTMode=on}, which refuses to start when the cache cannot be used, and runs a task.
 *
 * <p>scripts/run-local.sh, bench/run.sh and the system's own docs start the apps with {@code -XX:AOTCache=app.aot}
 * when the file is there. {@code ./mvnw package} alone makes no cache (scripts/package.sh packages and trains).
 */
@Tag(LongTests.TAG)
class AotTrainingTest {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern ARTIFACT_URL = Pattern.compile("\"artifactUrl\":\"([^\"]+)\"");
    /** Writing a cache at exit (a second JVM assembles it) takes a while on two busy cores. */
    private static final Duration EXIT = Duration.ofMinutes(4);

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z]+)\"");
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "DEAD", "CANCELLED");
    private static final String PRODUCER_KEY = "aot-training-producer-key-0123456789abcdef";
    private static final String OPERATOR_KEY = "aot-training-operator-key-0123456789abcdef";

    @TempDir
    static Path dir;

    @AfterAll
    static void cleanUp() {
        App.forgetState();
        try (LocalBroker broker = new LocalBroker()) {
            broker.purgeAll();
        }
    }

    @Test
    void trainsBothCachesOnTheRealPathsAndTheyLoad() throws Exception {
        try (LocalBroker broker = new LocalBroker().declareTopology()) {
            broker.purgeAll();
        }
        App.forgetState();
        Path gatewayCache = App.directory(true).resolve("app.aot");
        Path workerCache = App.directory(false).resolve("app.aot");
        Files.deleteIfExists(gatewayCache);
        Files.deleteIfExists(workerCache);

        GreenMail smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        HttpServer images = imageServer();
        try {
            Map<String, String> gatewayEnv = Map.of(
                    "CONVEYOR_API_KEYS_FILE",
                    keysFile().toString(),
                    "CONVEYOR_ARTIFACT_DIR",
                    dir.resolve("artifacts").toString());
            Map<String, String> workerEnv = Map.of(
                    "SMTP_HOST",
                    "127.0.0.1",
                    "SMTP_PORT",
                    String.valueOf(smtp.getSmtp().getPort()),
                    "CONVEYOR_FETCH_ALLOW_PRIVATE",
                    "true",
                    "CONVEYOR_ARTIFACT_DIR",
                    dir.resolve("artifacts").toString());

            // 1. The training runs.
            App gateway =
                    App.fromJarDirectory("aot-train-gateway", true, gatewayEnv, jvmArgs("-XX:AOTCacheOutput=app.aot"));
            App worker =
                    App.fromJarDirectory("aot-train-worker", false, workerEnv, jvmArgs("-XX:AOTCacheOutput=app.aot"));
            try (gateway;
                    worker) {
                gateway.awaitReady(START);
                worker.awaitReady(START);
                int sent = workload(gateway, images.getAddress().getPort());
                assertTrue(smtp.getReceivedMessages().length > 0, "no email was sent");
                assertTrue(sent > 1000, "only " + sent + " requests");
                gateway.sigterm();
                worker.sigterm();
                gateway.waitForExit(EXIT);
                worker.waitForExit(EXIT);
            }
            assertCache(gatewayCache, gateway);
            assertCache(workerCache, worker);

            // 2. The caches load: -XX:AOTMode=on refuses to start the JVM with a cache it cannot use.
            try (App checkedGateway = App.fromJarDirectory(
                            "aot-check-gateway", true, gatewayEnv, jvmArgs("-XX:AOTMode=on", "-XX:AOTCache=app.aot"));
                    App checkedWorker = App.fromJarDirectory(
                            "aot-check-worker", false, workerEnv, jvmArgs("-XX:AOTMode=on", "-XX:AOTCache=app.aot"))) {
                checkedGateway.awaitReady(START);
                checkedWorker.awaitReady(START);
                String id = accepted(checkedGateway.call(
                        "POST",
                        "/api/v1/tasks",
                        "{\"type\":\"send_email\",\"payload\":{\"to\":\"checked@example.com\",\"subject\":\"s\","
                                + "\"body\":\"b\"}}",
                        "Authorization",
                        "Bearer " + PRODUCER_KEY));
                await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(status(checkedGateway, id)));
                assertTrue(smtp.getReceivedMessagesForDomain("checked@example.com").length > 0);
            }
        } finally {
            images.stop(0);
            smtp.stop();
        }
    }

    /**
     * What production does to the apps, several hundred times per path so that the method profiles see the hot code,
     * from 8 clients at once. Answers how many requests were made.
     */
    private static int workload(App gateway, int imagePort) throws Exception {
        String producer = "Bearer " + PRODUCER_KEY;
        String operator = "Bearer " + OPERATOR_KEY;
        String png = "data:image/png;base64," + Base64.getEncoder().encodeToString(image("png"));
        List<String> bodies = List.of(
                "{\"type\":\"noop\"}",
                "{\"type\":\"noop\",\"payload\":{},\"options\":{\"maxAttempts\":2,\"priority\":5}}",
                "{\"type\":\"noop\",\"options\":{\"delay\":\"PT1S\"}}",
                "{\"type\":\"send_email\",\"payload\":{\"to\":\"ada@example.com\",\"subject\":\"Your report\","
                        + "\"body\":\"<p>Ready</p>\",\"html\":true,\"cc\":[\"bob@example.com\"]}}",
                "{\"type\":\"send_email\",\"payload\":{\"to\":\"grace@example.com\",\"subject\":\"Hello\","
                        + "\"body\":\"Plain text\"}}",
                "{\"type\":\"resize_image\",\"payload\":{\"source\":\"http://127.0.0.1:" + imagePort
                        + "/photo.jpg\",\"width\":64,\"height\":48,\"format\":\"jpeg\"}}",
                "{\"type\":\"resize_image\",\"payload\":{\"source\":\"" + png
                        + "\",\"width\":32,\"height\":32,\"format\":\"png\"}}",
                "{\"type\":\"generate_report\",\"payload\":{\"window\":\"PT1H\"}}",
                "{\"type\":\"fail\",\"payload\":{\"times\":1}}",
                "{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT0.05S\"}}");
        List<String> invalid = List.of(
                "{\"type\":\"send_email\",\"payload\":{\"to\":\"not-an-address\",\"subject\":\"\",\"body\":\"b\"}}",
                "{\"type\":\"no_such_type\"}",
                "{\"type\":\"resize_image\",\"payload\":{\"source\":\"ftp://x\",\"width\":0,\"height\":1}}",
                "{not json");
        AtomicInteger requests = new AtomicInteger();
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                int c = client;
                running.add(clients.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        String body = bodies.get((c + i) % bodies.size());
                        String id = accepted(gateway.call("POST", "/api/v1/tasks", body, "Authorization", producer));
                        ids.add(id);
                        gateway.call("GET", "/api/v1/tasks/" + id, null, "Authorization", producer);
                        requests.addAndGet(2);
                        if (i % 5 == 0) {
                            int status = gateway.call(
                                            "POST",
                                            "/api/v1/tasks",
                                            invalid.get(i / 5 % invalid.size()),
                                            "Authorization",
                                            producer)
                                    .statusCode();
                            assertTrue(status >= 400 && status < 500, "an invalid request answered " + status);
                            String key = "aot-" + c + "-" + i / 10;
                            ids.add(accepted(gateway.call(
                                    "POST",
                                    "/api/v1/tasks",
                                    "{\"type\":\"noop\"}",
                                    "Authorization",
                                    producer,
                                    "Idempotency-Key",
                                    key)));
                            gateway.call("GET", "/api/v1/tasks?limit=20&type=noop", null, "Authorization", producer);
                            gateway.call("GET", "/api/v1/tasks/" + id + "?wait=PT2S", null, "Authorization", producer);
                            gateway.call("GET", "/api/v1/tasks", null); // no key: 401
                            requests.addAndGet(5);
                        }
                        if (i % 25 == 0) {
                            ids.add(accepted(gateway.call(
                                    "POST",
                                    "/async-task",
                                    "{\"task_type\": \"send_email\", \"task_param\": \"user@example.com\"}",
                                    "Authorization",
                                    producer)));
                            gateway.call("GET", "/api/v1/task-types", null, "Authorization", producer);
                            gateway.call("GET", "/q/health/ready", null);
                            gateway.call("GET", "/q/metrics", null);
                            requests.addAndGet(4);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        try {
            awaitTerminal(gateway, ids);
        } catch (ConditionTimeoutException e) {
            List<String> left = ids.stream()
                    .limit(20)
                    .map(id -> id + " " + view(gateway, id))
                    .toList();
            throw new AssertionError(ids.size() + " tasks not finished, e.g.: " + String.join("\n", left), e);
        }
        // A submit that waits for its outcome (Prefer: wait), and an artifact downloaded whole, by range and by HEAD.
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> report = gateway.call(
                    "POST",
                    "/api/v1/tasks",
                    "{\"type\":\"generate_report\",\"payload\":{\"window\":\"PT1H\"}}",
                    "Authorization",
                    producer,
                    "Prefer",
                    "wait=8");
            assertEquals(200, report.statusCode(), report.body());
            Matcher artifact = ARTIFACT_URL.matcher(report.body());
            assertTrue(artifact.find(), report.body());
            assertEquals(
                    200,
                    gateway.call("GET", artifact.group(1), null, "Authorization", producer)
                            .statusCode());
            assertEquals(
                    206,
                    gateway.call("GET", artifact.group(1), null, "Authorization", producer, "Range", "bytes=0-9")
                            .statusCode());
            assertEquals(
                    200,
                    gateway.call("HEAD", artifact.group(1), null, "Authorization", producer)
                            .statusCode());
        }
        // Everything accepted reached its end (the worker's paths); now the dead-letter operations.
        String permanent = accepted(gateway.call(
                "POST",
                "/api/v1/tasks",
                "{\"type\":\"fail\",\"payload\":{\"permanent\":true}}",
                "Authorization",
                producer));
        String discarded = accepted(gateway.call(
                "POST",
                "/api/v1/tasks",
                "{\"type\":\"fail\",\"payload\":{\"permanent\":true}}",
                "Authorization",
                producer));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "DEAD".equals(status(gateway, permanent)) && "DEAD".equals(status(gateway, discarded)));
        assertEquals(
                200,
                gateway.call("GET", "/api/v1/dead-letters?type=fail", null, "Authorization", operator)
                        .statusCode());
        assertEquals(
                202,
                gateway.call("POST", "/api/v1/dead-letters/" + permanent + "/replay", null, "Authorization", operator)
                        .statusCode());
        await().atMost(Duration.ofSeconds(60)).until(() -> "DEAD".equals(status(gateway, permanent)));
        assertEquals(
                204,
                gateway.call("DELETE", "/api/v1/dead-letters/" + discarded, null, "Authorization", operator)
                        .statusCode());
        return requests.get() + 8;
    }

    /** Waits until every task of {@code ids} is terminal, removing those that are. */
    private static void awaitTerminal(App gateway, ConcurrentLinkedQueue<String> ids) {
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    ids.removeIf(id -> TERMINAL.contains(status(gateway, id)));
                    return ids.isEmpty();
                });
    }

    private static String view(App gateway, String id) {
        return gateway.call("GET", "/api/v1/tasks/" + id, null, "Authorization", "Bearer " + OPERATOR_KEY)
                .body();
    }

    private static String status(App gateway, String id) {
        HttpResponse<String> view =
                gateway.call("GET", "/api/v1/tasks/" + id, null, "Authorization", "Bearer " + OPERATOR_KEY);
        Matcher m = STATUS.matcher(view.body());
        return m.find() ? m.group(1) : "";
    }

    private static String accepted(HttpResponse<String> response) {
        assertEquals(202, response.statusCode(), response.body());
        Matcher m = ID.matcher(response.body());
        assertTrue(m.find(), response.body());
        return m.group(1);
    }

    private static void assertCache(Path cache, App app) throws IOException {
        assertTrue(
                Files.isRegularFile(cache) && Files.size(cache) > 1_000_000,
                "no AOT cache at " + cache + "; the app's log:\n" + app.log());
    }

    /** The project's JVM options (scripts/jvm-options), then {@code extra}. */
    private static List<String> jvmArgs(String... extra) throws IOException {
        Path options = Path.of(System.getProperty("conveyor.jvm-options", "../scripts/jvm-options"));
        List<String> args =
                new ArrayList<>(List.of(Files.readString(options).trim().split("\\s+")));
        args.addAll(List.of(extra));
        return args;
    }

    /** A producer and an operator, with a rate far above what the training sends. */
    private static Path keysFile() throws IOException {
        Path keys = dir.resolve("api-keys");
        Files.write(
                keys,
                List.of(
                        "aot-producer producer sha256:" + sha256(PRODUCER_KEY) + " rate=100000/s",
                        "aot-operator reader,operator sha256:" + sha256(OPERATOR_KEY) + " rate=100000/s"));
        return keys;
    }

    /** Serves a JPEG at /photo.jpg on loopback, as a camera's upload would be served. */
    private static HttpServer imageServer() throws IOException {
        byte[] jpeg = image("jpeg");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/photo.jpg", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, jpeg.length);
            exchange.getResponseBody().write(jpeg);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        return server;
    }

    private static byte[] image(String format) {
        BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 320; x++) {
            for (int y = 0; y < 240; y++) {
                image.setRGB(x, y, (x * 3) << 16 | (y * 5) << 8 | (x ^ y) & 0xff);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
