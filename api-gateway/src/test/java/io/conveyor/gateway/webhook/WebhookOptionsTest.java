package io.conveyor.gateway.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.GetResponse;

import io.conveyor.client.ConveyorClient;
import io.conveyor.client.SubmitOptions;
import io.conveyor.gateway.Submissions;
import io.conveyor.gateway.WatchedFiles;
import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.payload.NoopPayload;
import io.conveyor.model.state.StateKeys;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.webhook.WebhookJob;
import io.conveyor.webhook.WebhookState;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code options.callbackUrl}: checked, refused for a client without a webhook secret, carried in the envelope; a
 * cancel enqueues the CANCELLED webhook. Callback URLs point at 127.0.0.1: no worker runs here, and none may ever call
 * out of the machine.
 */
@QuarkusTest
@TestProfile(WebhookOptionsTest.WithSecrets.class)
class WebhookOptionsTest {

    static final Path FILE = Path.of("target", "webhook-options-test", "webhook-secrets");
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    static final String URL = "https://127.0.0.1:9/hooks/conveyor?token=abc";

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    /** Writes a secrets file with client local (protected mode's requests) and points the gateway at it. */
    public static class WithSecrets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            write(List.of("# WebhookOptionsTest", "local " + SECRET));
            return Map.of(
                    "conveyor.webhook.secrets-file",
                    FILE.toAbsolutePath().toString(),
                    "conveyor.webhook.secrets-reload",
                    "PT0.1S");
        }
    }

    static void write(List<String> lines) {
        WatchedFiles.write(FILE, lines);
    }

    @BeforeEach
    @AfterEach
    void clean() {
        services.broker().purge(Topology.taskQueue("noop"));
        services.broker().purge(Topology.WEBHOOK_QUEUE);
    }

    private static ValidatableResponse submit(String options) {
        return given().contentType(ContentType.JSON)
                .body("{\"type\":\"noop\",\"options\":" + options + "}")
                .post("/api/v1/tasks")
                .then();
    }

    private static void refused(String url, String message) {
        submit("{\"callbackUrl\":" + Json.mapper().valueToTree(url) + "}")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("options.callbackUrl")))
                .body("errors.message[0]", containsString(message));
    }

    @Test
    void badCallbackUrlsAreRefused() {
        refused("http://127.0.0.1:9/hook", "must be https (CONVEYOR_WEBHOOK_ALLOW_HTTP=true allows http)");
        refused("/hooks/relative", "must be an absolute https URI");
        refused("ftp://127.0.0.1/hook", "must be an absolute https URI");
        refused("https://127.0.0.1:9/a b", "is not a valid URI");
        refused("https://user:pw@127.0.0.1:9/hook", "must not carry user info");
        refused("https://127.0.0.1:9/" + "x".repeat(2000), "size must be between 1 and 2000");
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("noop")));
    }

    @Test
    void anAcceptedCallbackUrlTravelsInTheEnvelopeAndTheView() throws Exception {
        String id = services.track(
                Submissions.accepted("{\"type\":\"noop\",\"options\":{\"callbackUrl\":\"" + URL + "\"}}"));
        GetResponse message = services.broker().takeById(Topology.taskQueue("noop"), id, Duration.ofSeconds(10));
        TaskEnvelope envelope = Json.mapper().readValue(message.getBody(), TaskEnvelope.class);
        assertEquals(URL, envelope.callbackUrl());
        given().get("/api/v1/tasks/" + id)
                .then()
                .statusCode(200)
                .body("callback.url", equalTo(URL))
                .body("callback.status", equalTo("PENDING"))
                .body("callback.attempts", equalTo(0));
    }

    @Test
    void theJavaClientSendsTheCallbackUrl() {
        try (ConveyorClient client = ConveyorClient.builder()
                .baseUrl("http://localhost:" + RestAssured.port)
                .build()) {
            // A key of the test's own, which it forgets afterwards (the client would otherwise make one up).
            String key = "webhook-options-" + UUID.randomUUID();
            services.trackKey(StateKeys.idempotency(key));
            String id = services.track(client.submit(
                            new NoopPayload(),
                            SubmitOptions.defaults().withCallbackUrl(URL).withIdempotencyKey(key))
                    .id());
            assertEquals(URL, client.get(id).orElseThrow().callback().url());
        }
    }

    @Test
    void aClientWithoutASecretIsToldHowToConfigureOne() {
        write(List.of("billing " + SECRET));
        try {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> submit("{\"callbackUrl\":\"" + URL + "\"}")
                            .statusCode(400)
                            .body("errors.field", equalTo(List.of("options.callbackUrl")))
                            .body("errors.message[0]", containsString("needs a webhook secret for client 'local'"))
                            .body("errors.message[0]", containsString("CONVEYOR_WEBHOOK_SECRETS_FILE")));
            // A batch lists each task that has one.
            given().contentType(ContentType.JSON)
                    .body("{\"tasks\":[{\"type\":\"noop\"},{\"type\":\"noop\",\"options\":{\"callbackUrl\":\"" + URL
                            + "\"}}]}")
                    .post("/api/v1/batches")
                    .then()
                    .statusCode(400)
                    .body("errors.field", equalTo(List.of("tasks[1].options.callbackUrl")))
                    .body("errors.index", equalTo(List.of(1)));
            // Tasks without a callback are not concerned.
            services.track(Submissions.accepted("{\"type\":\"noop\"}"));
        } finally {
            write(List.of("# WebhookOptionsTest", "local " + SECRET));
        }
    }

    @Test
    void aCancelEnqueuesTheCancelledWebhook() throws Exception {
        String id = services.track(Submissions.accepted(
                "{\"type\":\"noop\",\"options\":{\"delay\":\"PT1H\",\"callbackUrl\":\"" + URL + "\"}}"));
        given().delete("/api/v1/tasks/" + id).then().statusCode(200).body("status", equalTo("CANCELLED"));

        GetResponse message = services.broker().take(Topology.WEBHOOK_QUEUE, Duration.ofSeconds(10));
        WebhookJob job = WebhookJob.parse(message.getBody());
        assertEquals(id, job.event().taskId());
        assertEquals(TaskStatus.CANCELLED, job.event().status());
        assertEquals(URL, job.url());
        assertEquals(1, job.attempt());
        assertEquals(job.event().id(), message.getProps().getMessageId());
        // Marked on the record, so a worker that meets the cancelled task's message does not enqueue it again.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Map<String, String> hash = services.redis().task(id);
            return WebhookState.queuedFor(hash.get("status"), hash.get("updatedAt"), hash.get("callbackSent"));
        });
        assertTrue(services.redis().task(id).get("callbackSent").startsWith("CANCELLED:"));
    }
}
