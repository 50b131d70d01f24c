package io.conveyor.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.rabbitmq.client.GetResponse;
import com.sun.net.httpserver.HttpServer;

import io.conveyor.testsupport.LocalBroker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue "Time and flow", as its "done when" says, with two gateways and two workers as processes: a schedule
 * {@code @every PT2S} fires once per tick for a minute and keeps its cadence while one gateway restarts; a queue
 * bound to {@code conveyor.events} with {@code #.DEAD} receives the event of a task that died; a local receiver gets
 * a signed callback it verifies, on the third try after answering 500 twice; and with {@code send_email} limited to
 * 5/s, 50 emails take about 10 s across the two workers and none fails. The minute of the schedule runs while the
 * other three are checked.
 */
@Tag(LongTests.TAG)
class TimeAndFlowTest {

    private static final Duration START = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The webhook secret of the client {@code local} (the gateways run without keys). */
    private static final byte[] SECRET = "conveyor-system-test-webhook-key".getBytes(StandardCharsets.UTF_8);

    private static final String SCHEDULE = "system-every-2s";

    @TempDir
    static Path dir;

    private static GreenMail smtp;
    private static HttpServer receiver;
    private static final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private static final AtomicInteger refusalsLeft = new AtomicInteger(2);
    private static App gatewayA;
    private static App gatewayB;
    private static App workerA;
    private static App workerB;
    private static LocalBroker broker;
    private static String deadEvents;

    /** One POST the receiver got. */
    record Delivery(String id, String timestamp, String signature, String body, int answered) {}

    @BeforeAll
    static void startSystem() throws IOException {
        broker = new LocalBroker().declareTopology();
        broker.purgeAll();
        deadEvents = broker.channel().queueDeclare("", false, true, true, null).getQueue();
        broker.channel().queueBind(deadEvents, "conveyor.events", "#.DEAD");

        int smtpPort = freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();

        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = refusalsLeft.getAndDecrement() > 0 ? 500 : 204;
            deliveries.add(new Delivery(
                    exchange.getRequestHeaders().getFirst("webhook-id"),
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"),
                    new String(body, StandardCharsets.UTF_8),
                    status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();

        Path secrets = dir.resolve("webhook-secrets");
        Files.writeString(secrets, "local whsec_" + Base64.getEncoder().encodeToString(SECRET) + "\n");

        Map<String, String> gatewayEnv = Map.of(
                "CONVEYOR_WEBHOOK_SECRETS_FILE", secrets.toString(),
                "CONVEYOR_WEBHOOK_ALLOW_HTTP", "true",
                "CONVEYOR_SCHEDULES_POLL", "PT0.25S");
        Map<String, String> workerEnv = new HashMap<>(gatewayEnv);
        workerEnv.putAll(Map.of(
                "SMTP_HOST", "127.0.0.1",
                "SMTP_PORT", String.valueOf(smtpPort),
                "CONVEYOR_WORKER_TYPES", "noop,send_email,fail",
                "CONVEYOR_WEBHOOK_ALLOW_PRIVATE", "true"));
        gatewayA = App.gateway(gatewayEnv);
        gatewayB = App.gateway(gatewayEnv);
        workerA = App.worker("flow-a", workerEnv, "-Dconveyor.worker.rate.send_email=5/s", SucceededLog.ENABLE);
        workerB = App.worker("flow-b", workerEnv, "-Dconveyor.worker.rate.send_email=5/s", SucceededLog.ENABLE);
        for (App app : List.of(gatewayA, gatewayB, workerA, workerB)) {
            app.awaitReady(START);
        }
    }

    @AfterAll
    static void stopSystem() {
        for (App app : new App[] {gatewayA, gatewayB, workerA, workerB}) {
            if (app != null) {
                app.close();
            }
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (broker != null) {
            broker.purgeAll();
            broker.close();
        }
        App.forgetState();
    }

    @Test
    void schedulesEventsWebhooksAndRateLimitsWithTwoGatewaysAndTwoWorkers() throws Exception {
        // The schedule's minute starts; everything else happens inside it.
        HttpResponse<String> created = gatewayA.postJson(
                "/api/v1/schedules",
                "{\"name\":\"" + SCHEDULE + "\",\"cron\":\"@every PT2S\",\"zone\":\"UTC\","
                        + "\"task\":{\"type\":\"noop\",\"payload\":{}},\"missed\":\"skip\"}");
        assertEquals(201, created.statusCode(), created.body());
        Instant minuteStarts = Instant.now();

        aTaskThatDiesIsAnnouncedOnTheEventsExchange();
        aReceiverThatFailsTwiceGetsTheSignedCallbackOnTheThirdTry();
        fiftyEmailsAtFivePerSecondTakeAboutTenSecondsAndNoneFails();

        // One gateway restarts within the minute: the other goes on firing, and the new one joins in.
        gatewayA.sigterm();
        gatewayA.waitForExit(Duration.ofSeconds(30));
        gatewayA = App.gateway(Map.of(
                "CONVEYOR_WEBHOOK_SECRETS_FILE", dir.resolve("webhook-secrets").toString(),
                "CONVEYOR_WEBHOOK_ALLOW_HTTP", "true",
                "CONVEYOR_SCHEDULES_POLL", "PT0.25S"));
        gatewayA.awaitReady(START);

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().isAfter(minuteStarts.plusSeconds(60)));
        HttpResponse<String> paused = gatewayB.call("POST", "/api/v1/schedules/" + SCHEDULE + "/pause", null);
        assertEquals(200, paused.statusCode(), paused.body());
        Instant minuteEnds = Instant.now();

        List<String> fired = firedTasks(minuteStarts.minusSeconds(1), minuteEnds);
        assertTrue(
                fired.size() >= 29 && fired.size() <= 31,
                "a @every PT2S schedule fired " + fired.size() + " tasks in a minute: " + fired);
        // Each tick's task ran once, on one of the two workers.
        await().atMost(Duration.ofSeconds(30)).until(() -> handled().containsAll(fired));
        List<String> ran = handled().stream().filter(fired::contains).toList();
        assertEquals(fired.size(), ran.size(), "a scheduled task ran twice: " + ran);
        HttpResponse<String> deleted = gatewayB.call("DELETE", "/api/v1/schedules/" + SCHEDULE, null);
        assertEquals(204, deleted.statusCode(), deleted.body());
    }

    private void aTaskThatDiesIsAnnouncedOnTheEventsExchange() throws Exception {
        String id = accept(gatewayB.postJson("/api/v1/tasks", "{\"type\":\"fail\",\"payload\":{\"permanent\":true}}"));
        GetResponse event = broker.take(deadEvents, Duration.ofSeconds(30));
        assertNotNull(event, "no event on #.DEAD");
        assertEquals("fail.DEAD", event.getEnvelope().getRoutingKey());
        JsonNode body = JSON.readTree(event.getBody());
        assertEquals(id, body.path("taskId").asText(), body.toString());
        assertEquals("DEAD", body.path("status").asText(), body.toString());
    }

    private void aReceiverThatFailsTwiceGetsTheSignedCallbackOnTheThirdTry() throws Exception {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        String id = accept(gatewayA.postJson(
                "/api/v1/tasks",
                "{\"type\":\"fail\",\"payload\":{\"times\":0},\"options\":{\"callbackUrl\":\"" + url + "\"}}"));
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.size() >= 3);
        assertEquals(
                List.of(500, 500, 204),
                deliveries.stream().map(Delivery::answered).toList());
        Delivery third = deliveries.get(2);
        // The receiver's check, as README shows it: HMAC-SHA256 over "id.timestamp.body" with the secret.
        assertEquals("v1," + sign(third.id() + "." + third.timestamp() + "." + third.body()), third.signature());
        assertEquals(deliveries.get(0).id(), third.id(), "a retry keeps the webhook id");
        JsonNode event = JSON.readTree(third.body());
        assertEquals(id, event.path("taskId").asText());
        assertEquals("SUCCEEDED", event.path("status").asText());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode callback =
                    JSON.readTree(gatewayB.get("/api/v1/tasks/" + id).body()).path("callback");
            assertEquals("DELIVERED", callback.path("status").asText(), callback.toString());
            assertEquals(3, callback.path("attempts").asInt(), callback.toString());
        });
    }

    private void fiftyEmailsAtFivePerSecondTakeAboutTenSecondsAndNoneFails() throws Exception {
        List<String> ids = new ArrayList<>();
        Instant sent = Instant.now();
        for (int i = 0; i < 50; i++) {
            App gateway = i % 2 == 0 ? gatewayA : gatewayB;
            ids.add(accept(gateway.postJson(
                    "/api/v1/tasks",
                    "{\"type\":\"send_email\",\"payload\":{\"to\":\"limit-" + i
                            + "@example.com\",\"subject\":\"s\",\"body\":\"b\"}}")));
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> smtp.getReceivedMessages().length >= 50);
        Duration took = Duration.between(sent, Instant.now());
        for (String id : ids) {
            JsonNode view = JSON.readTree(gatewayA.get("/api/v1/tasks/" + id).body());
            assertEquals("SUCCEEDED", view.path("status").asText(), view.toString());
            assertEquals(1, view.path("attempts").asInt(), "a limited task counted an attempt: " + view);
        }
        assertEquals(50, smtp.getReceivedMessages().length, "an email was sent twice");
        // 5 a second with a bucket of 5: the first five at once, then five a second; the tiers round waits up.
        assertTrue(
                took.compareTo(Duration.ofSeconds(8)) >= 0 && took.compareTo(Duration.ofSeconds(25)) <= 0,
                "50 emails at 5/s took " + took);
    }

    /** The tasks of both workers' "succeeded" log lines. */
    private static List<String> handled() {
        List<String> all = new ArrayList<>(SucceededLog.ids(workerA));
        all.addAll(SucceededLog.ids(workerB));
        return all;
    }

    /** The ids of the tasks the schedule fired in [from, to], by creation time. */
    private static List<String> firedTasks(Instant from, Instant to) throws IOException {
        Map<String, Instant> created = new HashMap<>();
        HashSet<String> seen = new HashSet<>();
        String cursor = null;
        do {
            String page = gatewayB.get("/api/v1/tasks?type=noop&limit=100"
                            + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)))
                    .body();
            JsonNode answer = JSON.readTree(page);
            for (JsonNode task : answer.path("items")) {
                assertTrue(seen.add(task.path("id").asText()), "listed twice: " + task);
                if (SCHEDULE.equals(task.path("schedule").asText())) {
                    Instant at = Instant.parse(task.path("createdAt").asText());
                    if (!at.isBefore(from) && !at.isAfter(to)) {
                        created.put(task.path("id").asText(), at);
                    }
                }
            }
            cursor = answer.path("nextCursor").isTextual()
                    ? answer.path("nextCursor").asText()
                    : null;
        } while (cursor != null);
        return created.keySet().stream()
                .sorted(Comparator.comparing(created::get))
                .toList();
    }

    private static String sign(String content) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static String accept(HttpResponse<String> response) throws IOException {
        assertEquals(202, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("id").asText();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
