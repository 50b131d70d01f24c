package io.conveyor.worker.webhook;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.conveyor.model.Json;
import io.conveyor.model.TaskCallback;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;
import io.conveyor.model.state.TaskRecords;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.testsupport.TaskMessageBuilder;
import io.conveyor.worker.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task with a callback URL that ends sends its outcome event, signed, to a receiver on 127.0.0.1 (the test
 * configuration allows private addresses and gives a webhook 3 attempts), retried through the broker's tiers.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class WebhookTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    /** One request a receiver got. */
    record Received(Map<String, String> headers, String body) {}

    static HttpServer server;
    static final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    /** How many times each path still answers 500 before it answers 204. */
    static final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    final List<String> tasks = new ArrayList<>();

    @BeforeAll
    static void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(new Received(headers, body));
            AtomicInteger left = failures.get(path);
            int status = left != null && left.getAndDecrement() > 0 ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stopReceiver() {
        server.stop(0);
    }

    @AfterEach
    void forget() {
        services.track(tasks);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** A task of {@code type} (without an API key) that calls {@code url} back, as the gateway would send it. */
    private TaskMessageBuilder task(String type, String payload, int maxAttempts) {
        TaskMessageBuilder task = aTask().ofType(type).withPayload(payload).withMaxAttempts(maxAttempts);
        tasks.add(task.id());
        return task;
    }

    /** Publishes a task of {@code type} (without an API key: it signs as client local) that calls {@code url} back. */
    private String publish(String type, String payload, int maxAttempts, String url) throws IOException {
        TaskMessageBuilder task = aTask().ofType(type).withPayload(payload).withMaxAttempts(maxAttempts);
        TaskEnvelope envelope = new TaskEnvelope(
                task.id(), type, Json.mapper().readTree(payload), maxAttempts, Instant.now(), null, url, null);
        tasks.add(task.id());
        return task.publishTo(services.broker(), Json.mapper().writeValueAsBytes(envelope));
    }

    private static TaskCallback callback(String id) {
        TaskView view = TaskRecords.view(services.redis().task(id), Instant.now());
        return view == null ? null : view.callback();
    }

    private static TaskCallback awaitCallback(String id, TaskCallback.Status status) {
        TaskCallback[] last = new TaskCallback[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = callback(id);
            return last[0] != null && last[0].status() == status;
        });
        return last[0];
    }

    /** The receiver's check, as README's "Webhooks" shows it. */
    static boolean verify(String secret, String id, String timestamp, String body, String signature) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        boolean recent = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) <= 300;
        return recent
                && Arrays.stream(signature.split(" "))
                        .anyMatch(s -> s.startsWith("v1,")
                                && MessageDigest.isEqual(
                                        expected, Base64.getDecoder().decode(s.substring(3))));
    }

    private static String secret() throws IOException {
        return Files.readAllLines(Path.of("src/test/resources/webhook-secrets")).stream()
                .filter(l -> l.startsWith("local "))
                .findFirst()
                .orElseThrow()
                .substring("local ".length());
    }

    @Test
    void aSucceededTaskSendsOneSignedEvent() throws Exception {
        String id = publish("noop", "{}", 3, url("/ok"));
        TaskCallback done = awaitCallback(id, TaskCallback.Status.DELIVERED);
        assertEquals(1, done.attempts());
        assertEquals(url("/ok"), done.url());
        assertNotNull(done.updatedAt());

        List<Received> got = received.get("/ok");
        assertEquals(1, got.size());
        Received post = got.get(0);
        assertEquals("application/json", post.headers().get("content-type"));
        assertTrue(
                post.headers().get("user-agent").startsWith("Conveyor-Webhook/"),
                post.headers().toString());
        assertTrue(verify(
                secret(),
                post.headers().get("webhook-id"),
                post.headers().get("webhook-timestamp"),
                post.body(),
                post.headers().get("webhook-signature")));
        assertTrue(!verify(
                secret(),
                post.headers().get("webhook-id"),
                post.headers().get("webhook-timestamp"),
                post.body() + " ",
                post.headers().get("webhook-signature")));
        JsonNode event = Json.mapper().readTree(post.body());
        assertEquals(id, event.get("taskId").asText());
        assertEquals("SUCCEEDED", event.get("status").asText());
        assertEquals("noop", event.get("type").asText());
        assertEquals(post.headers().get("webhook-id"), event.get("id").asText());
    }

    @Test
    void aReceiverFailingTwiceGetsItOnTheThirdAttempt() throws Exception {
        failures.put("/flaky", new AtomicInteger(2));
        String id = publish("noop", "{}", 3, url("/flaky"));
        TaskCallback done = awaitCallback(id, TaskCallback.Status.DELIVERED);
        assertEquals(3, done.attempts());
        assertEquals(null, done.lastError());
        List<Received> got = received.get("/flaky");
        assertEquals(3, got.size());
        // One event, the same id on every attempt.
        assertEquals(
                1,
                got.stream().map(r -> r.headers().get("webhook-id")).distinct().count());
    }

    @Test
    void aReceiverThatAlwaysFailsIsGivenUpAfterTheLastAttempt() throws Exception {
        failures.put("/down", new AtomicInteger(1000));
        String id = publish("noop", "{}", 3, url("/down"));
        TaskCallback failed = awaitCallback(id, TaskCallback.Status.FAILED);
        assertEquals(3, failed.attempts());
        assertEquals("HTTP 500", failed.lastError());
        assertEquals(3, received.get("/down").size());
    }

    @Test
    void theCloudMetadataAddressIsRefusedAtOnce() throws Exception {
        String id = publish("noop", "{}", 3, "http://169.254.169.254/latest/meta-data");
        TaskCallback failed = awaitCallback(id, TaskCallback.Status.FAILED);
        assertEquals(1, failed.attempts());
        assertTrue(failed.lastError().contains("cloud metadata"), failed.lastError());
    }

    @Test
    void aDeadTaskSendsDead() throws Exception {
        String id = publish("fail", "{\"times\":10}", 1, url("/dead"));
        awaitCallback(id, TaskCallback.Status.DELIVERED);
        JsonNode event = Json.mapper().readTree(received.get("/dead").get(0).body());
        assertEquals("DEAD", event.get("status").asText());
        assertEquals(1, event.get("attempt").asInt());
        assertEquals(
                "java.lang.IllegalStateException",
                event.get("error").get("errorClass").asText());
    }

    @Test
    void aRedeliveredTerminalTaskEnqueuesAWebhookNotYetEnqueuedAndOnlyThen() throws Exception {
        // A task cancelled whose gateway could not enqueue the webhook (or a success whose job publish failed): the
        // worker that meets its message finds it terminal, sees no job marked for that state, and enqueues one.
        TaskMessageBuilder task = task("noop", "{}", 3);
        TaskEnvelope envelope = new TaskEnvelope(
                task.id(), "noop", Json.mapper().createObjectNode(), 3, Instant.now(), null, url("/late"), null);
        services.redis()
                .transition(
                        task.id(),
                        Transition.to(TaskStatus.CANCELLED, Instant.now()).createIfMissing(envelope));
        byte[] body = Json.mapper().writeValueAsBytes(envelope);
        task.publishTo(services.broker(), body);
        awaitCallback(task.id(), TaskCallback.Status.DELIVERED);
        assertEquals(
                "CANCELLED",
                Json.mapper()
                        .readTree(received.get("/late").get(0).body())
                        .get("status")
                        .asText());

        // Its message again (a redelivery): the record says a job was enqueued for this state, so no second one.
        task.publishTo(services.broker(), body);
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> received.get("/late").size() == 1);
    }
}
