package io.conveyor.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Json;
import io.conveyor.model.TaskAccepted;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;
import io.conveyor.model.payload.NoopPayload;
import io.conveyor.model.payload.SendEmailPayload;

import static io.conveyor.client.CannedServer.json;
import static io.conveyor.client.CannedServer.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests, retries and error mapping against canned answers: no gateway here (api-gateway tests the real one). */
class ConveyorClientTest {

    private static final String ID = "0b7e3c9e-5d0c-4a53-9a55-2f1f6f1c2b11";
    private static final String ACCEPTED = "{\"id\":\"" + ID
            + "\",\"type\":\"send_email\",\"status\":\"QUEUED\",\"createdAt\":\"2026-01-01T00:00:00Z\"}";
    private static final SendEmailPayload EMAIL =
            new SendEmailPayload("ada@example.com", "Hi", "Hello", null, null, null);

    private final CannedServer server = new CannedServer();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        server.close();
    }

    private ConveyorClient client(RetryPolicy policy) {
        return ConveyorClient.builder()
                .baseUrl(server.url() + "/")
                .apiKey("secret")
                .retryPolicy(policy)
                .sleeper(sleeps::add)
                .build();
    }

    private ConveyorClient client() {
        return client(RetryPolicy.defaults());
    }

    private static String view(String status) {
        return "{\"id\":\"" + ID + "\",\"type\":\"noop\",\"status\":\"" + status
                + "\",\"attempts\":0,\"maxAttempts\":3,\"createdAt\":\"2026-01-01T00:00:00Z\","
                + "\"updatedAt\":\"2026-01-01T00:00:00Z\",\"aFieldOfANewerGateway\":1}";
    }

    @Test
    void submitsATypedPayloadWithItsOptionsKeyAndApiKey() throws Exception {
        server.answer(json(202, ACCEPTED));
        TaskAccepted accepted = client().submit(
                        EMAIL,
                        SubmitOptions.defaults()
                                .withMaxAttempts(3)
                                .withDelay(Duration.ofSeconds(30))
                                .withPriority(7));
        assertEquals(ID, accepted.id());
        assertEquals(TaskStatus.QUEUED, accepted.status());
        CannedServer.Call call = server.calls().get(0);
        assertEquals("POST", call.method());
        assertEquals("/api/v1/tasks", call.uri());
        assertEquals("Bearer secret", call.header("Authorization"));
        assertEquals(36, call.header("Idempotency-Key").length(), "a generated UUID");
        JsonNode body = Json.mapper().readTree(call.body());
        assertEquals("send_email", body.path("type").asText());
        assertEquals("ada@example.com", body.path("payload").path("to").asText());
        assertEquals(3, body.path("options").path("maxAttempts").asInt());
        assertEquals("PT30S", body.path("options").path("delay").asText());
        assertEquals(7, body.path("options").path("priority").asInt());
    }

    @Test
    void eachSubmitCallHasItsOwnKeyAndACallersKeyIsSentAsIs() {
        server.answer(json(202, ACCEPTED));
        ConveyorClient client = client();
        client.submit(new NoopPayload());
        client.submit(new NoopPayload());
        client.submit(new NoopPayload(), SubmitOptions.defaults().withIdempotencyKey("order-42"));
        client.submit(new NoopPayload(), SubmitOptions.defaults().withoutIdempotencyKey());
        List<String> keys =
                server.calls().stream().map(c -> c.header("Idempotency-Key")).toList();
        assertFalse(keys.get(0).equals(keys.get(1)), "two calls, two keys: " + keys);
        assertEquals("order-42", keys.get(2));
        assertNull(keys.get(3));
        assertFalse(server.calls().get(0).body().contains("options"), "no options written when none were set");
    }

    @Test
    void aSubmitRetriedAfter503HonoursRetryAfterAndSendsTheSameKey() {
        server.answer(problem(503, "queue-full", "2"), problem(503, "broker-unavailable", null), json(202, ACCEPTED));
        assertEquals(ID, client().submit(EMAIL).id());
        assertEquals(3, server.calls().size());
        assertEquals(Duration.ofSeconds(2), sleeps.get(0), "the Retry-After");
        assertTrue(sleeps.get(1).compareTo(Duration.ofMillis(100)) >= 0, "a backoff without Retry-After");
        assertEquals(
                1,
                server.calls().stream()
                        .map(c -> c.header("Idempotency-Key"))
                        .distinct()
                        .count());
    }

    @Test
    void aKeyStillBeingAcceptedIsWaitedFor() {
        server.answer(problem(409, "idempotency-key-in-progress", "1"), json(202, ACCEPTED));
        assertEquals(ID, client().submit(EMAIL).id());
        assertEquals(List.of(Duration.ofSeconds(1)), sleeps);
    }

    @Test
    void rateLimitingBeyondTheAttemptsIsATypedException() {
        server.answer(problem(429, "rate-limited", "1"));
        RateLimitedException e = assertThrows(
                RateLimitedException.class,
                () -> client(RetryPolicy.defaults().withMaxAttempts(3)).submit(EMAIL));
        assertEquals(3, server.calls().size());
        assertEquals(2, sleeps.size());
        assertEquals(429, e.status());
        assertEquals("rate-limited", e.problem().slug());
        assertEquals(Duration.ofSeconds(1), e.retryAfter().orElseThrow());
    }

    @Test
    void aRetryAfterBeyondTheTotalWaitIsNotWaitedFor() {
        server.answer(problem(503, "queue-full", "120"));
        UnavailableException e = assertThrows(UnavailableException.class, () -> client().submit(EMAIL));
        assertEquals(1, server.calls().size());
        assertEquals(List.of(), sleeps);
        assertEquals(Duration.ofSeconds(120), e.retryAfter().orElseThrow());
    }

    @Test
    void withoutAKeyA503IsNotRetriedButA429Is() {
        server.answer(problem(503, "broker-unavailable", "1"));
        SubmitOptions keyless = SubmitOptions.defaults().withoutIdempotencyKey();
        assertThrows(UnavailableException.class, () -> client().submit(EMAIL, keyless));
        assertEquals(1, server.calls().size());
        server.answer(problem(429, "rate-limited", "1"), json(202, ACCEPTED));
        assertEquals(ID, client().submit(EMAIL, keyless).id());
    }

    @Test
    void anInvalidTaskIsNotRetriedAndListsItsFields() {
        server.answer(new CannedServer.Answer(
                400,
                Map.of("Content-Type", "application/problem+json"),
                "{\"type\":\"urn:conveyor:problem:validation\",\"title\":\"Invalid task request\","
                        + "\"status\":400,"
                        + "\"detail\":\"payload.to must be a well-formed email address\","
                        + "\"errors\":[{\"field\":\"payload.to\","
                        + "\"message\":\"must be a well-formed email address\"}]}"));
        InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> client().submit(EMAIL));
        assertEquals(1, server.calls().size());
        assertEquals(List.of(new Problem.FieldError("payload.to", "must be a well-formed email address")), e.errors());
        assertTrue(e.getMessage().contains("payload.to"), e.getMessage());
    }

    @Test
    void statusesMapToTypedExceptions() {
        Map<Integer, Class<? extends ConveyorException>> expected = Map.of(
                401, UnauthorizedException.class,
                403, UnauthorizedException.class,
                409, ConflictException.class,
                422, InvalidTaskException.class,
                413, ConveyorException.class);
        ConveyorClient client = client(RetryPolicy.none());
        expected.forEach((status, type) -> {
            server.answer(problem(status, "some-problem", null));
            ConveyorException e = assertThrows(ConveyorException.class, () -> client.cancel(ID));
            assertEquals(type, e.getClass(), "status " + status);
            assertEquals("D some-problem", e.problem().detail());
        });
        server.answer(problem(404, "task-not-found", null));
        assertThrows(TaskNotFoundException.class, () -> client.cancel(ID));
    }

    @Test
    void anAnswerThatIsNoProblemDetailStillGivesOne() {
        server.answer(new CannedServer.Answer(502, Map.of("Content-Type", "text/html"), "<html>Bad Gateway</html>"));
        ConveyorException e = assertThrows(ConveyorException.class, () -> client().get(ID));
        assertEquals(ConveyorException.class, e.getClass());
        assertEquals(502, e.status());
        assertEquals("<html>Bad Gateway</html>", e.problem().detail());
        assertEquals(1, server.calls().size(), "a 502 is not retried");
    }

    @Test
    void getIsEmptyForAnUnknownTaskButA404ForTheRouteIsAnError() {
        server.answer(problem(404, "task-not-found", null));
        assertTrue(client().get(ID).isEmpty());
        server.answer(problem(404, "not-found", null));
        ConveyorException e = assertThrows(ConveyorException.class, () -> client().get(ID));
        assertFalse(e instanceof TaskNotFoundException);
    }

    @Test
    void anUnreachableGatewayIsRetriedForAKeyedSubmitOnly() {
        String url = server.url();
        server.close();
        ConveyorClient client = ConveyorClient.builder()
                .baseUrl(url)
                .retryPolicy(RetryPolicy.defaults().withMaxAttempts(3))
                .sleeper(sleeps::add)
                .build();
        UnavailableException e = assertThrows(UnavailableException.class, () -> client.submit(EMAIL));
        assertEquals(0, e.status());
        assertEquals(Problem.UNREACHABLE, e.problem().type());
        assertNotNull(e.getCause());
        assertEquals(2, sleeps.size());
        sleeps.clear();
        assertThrows(
                UnavailableException.class,
                () -> client.submit(EMAIL, SubmitOptions.defaults().withoutIdempotencyKey()));
        assertThrows(UnavailableException.class, () -> client.cancel(ID));
        assertEquals(List.of(), sleeps);
    }

    @Test
    void awaitLongPollsUntilTheTaskIsTerminal() {
        server.answer(json(200, view("QUEUED")), json(200, view("RUNNING")), json(200, view("SUCCEEDED")));
        ConveyorClient client = ConveyorClient.builder()
                .baseUrl(server.url())
                .longPollCap(Duration.ofSeconds(20))
                .build();
        TaskView done = client.await(ID, Duration.ofMinutes(5));
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertEquals(3, server.calls().size());
        for (CannedServer.Call call : server.calls()) {
            assertEquals("/api/v1/tasks/" + ID + "?wait=PT20S", call.uri(), "capped at the long poll cap");
        }
    }

    @Test
    void awaitAnswersTheLastViewWhenTimeRunsOut() {
        server.answer(json(200, view("QUEUED")));
        TaskView last = client().await(ID, Duration.ofMillis(300));
        assertEquals(TaskStatus.QUEUED, last.status());
        assertTrue(
                server.calls().get(0).uri().matches(".*\\?wait=PT0\\.[0-9]+S"),
                server.calls().get(0).uri());
    }

    @Test
    void awaitOfAnUnknownTaskThrows() {
        server.answer(problem(404, "task-not-found", null));
        assertThrows(TaskNotFoundException.class, () -> client().await(ID, Duration.ofSeconds(5)));
    }

    @Test
    void listsWithItsFiltersAndReadsThePage() {
        server.answer(json(200, "{\"items\":[" + view("QUEUED") + "],\"nextCursor\":\"abc\"}"));
        TaskPage page = client().list(TaskStatus.QUEUED, "send_email", 10, "MTIz:x+y");
        assertEquals(1, page.items().size());
        assertEquals("abc", page.nextCursor());
        assertTrue(page.hasNext());
        assertEquals(
                "/api/v1/tasks?status=QUEUED&type=send_email&limit=10&cursor=MTIz%3Ax%2By",
                server.calls().get(0).uri());
    }

    @Test
    void aClassWithoutTaskDefinitionNamesNoType() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> client().submit(Map.of("to", "x")));
        assertTrue(e.getMessage().contains("@TaskDefinition"), e.getMessage());
        assertEquals(0, server.calls().size());
        assertEquals("send_email", ConveyorClient.typeOf(SendEmailPayload.class));
        assertInstanceOf(String.class, ConveyorClient.typeOf(NoopPayload.class));
    }

    @Test
    void submitAndWaitSendsPreferWaitAndAnswersTheFinishedView() throws Exception {
        server.answer(json(200, view("SUCCEEDED")));
        TaskView done = client().submitAndWait(
                        "noop", Map.of(), SubmitOptions.defaults().withIdempotencyKey("k-1"), Duration.ofMillis(2_500));
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertEquals(1, server.calls().size());
        CannedServer.Call call = server.calls().get(0);
        assertEquals("POST", call.method());
        assertEquals("wait=3", call.header("Prefer"), "whole seconds, rounded up");
        assertEquals("k-1", call.header("Idempotency-Key"));
        assertEquals("noop", Json.mapper().readTree(call.body()).path("type").asText());
    }

    @Test
    void submitAndWaitAwaitsTheRestBeyondTheLongPollCap() {
        server.answer(json(202, ACCEPTED), json(200, view("RUNNING")), json(200, view("DEAD")));
        ConveyorClient client = ConveyorClient.builder()
                .baseUrl(server.url())
                .longPollCap(Duration.ofSeconds(2))
                .build();
        TaskView last = client.submitAndWait("noop", null, null, Duration.ofMinutes(5));
        assertEquals(TaskStatus.DEAD, last.status());
        assertEquals("wait=2", server.calls().get(0).header("Prefer"), "capped at the long poll cap");
        assertEquals("/api/v1/tasks/" + ID + "?wait=PT2S", server.calls().get(1).uri());
        assertEquals(3, server.calls().size());
        assertThrows(IllegalArgumentException.class, () -> client.submitAndWait("noop", null, null, Duration.ZERO));
    }

    @Test
    void listsReplaysAndDiscardsDeadLetters() {
        server.answer(json(
                200,
                "[{\"id\":\"" + ID + "\",\"type\":\"fail\",\"reason\":\"exhausted\",\"errorClass\":\"E\","
                        + "\"errorMessage\":\"boom\",\"attempts\":3,\"failedAt\":\"2026-01-01T00:00:00Z\","
                        + "\"worker\":\"w\",\"status\":\"DEAD\",\"failures\":[],\"aFieldOfANewerGateway\":1}]"));
        ConveyorClient client = client(RetryPolicy.none());
        var dead = client.deadLetters("fail", 10);
        assertEquals(1, dead.size());
        assertEquals("exhausted", dead.get(0).reason());
        assertEquals(TaskStatus.DEAD, dead.get(0).status());
        assertEquals(
                "/api/v1/dead-letters?type=fail&limit=10", server.calls().get(0).uri());

        server.answer(json(202, "{\"id\":\"" + ID + "\",\"status\":\"QUEUED\"}"));
        client.replayDeadLetter(ID);
        assertEquals("POST /api/v1/dead-letters/" + ID + "/replay", last());

        server.answer(json(202, "{\"replayed\":2,\"unroutable\":[\"x\"]}"));
        assertEquals(new ReplayedDeadLetters(2, List.of("x")), client.replayDeadLetters("fail"));
        assertEquals("POST /api/v1/dead-letters/replay?type=fail", last());

        server.answer(new CannedServer.Answer(204, Map.of(), ""));
        client.discardDeadLetter(ID);
        assertEquals("DELETE /api/v1/dead-letters/" + ID, last());

        server.answer(problem(404, "dead-letter-not-found", null));
        ConveyorException missing = assertThrows(ConveyorException.class, () -> client.discardDeadLetter(ID));
        assertEquals(404, missing.status());
        server.answer(problem(409, "dead-letter-not-replayable", null));
        assertThrows(ConflictException.class, () -> client.replayDeadLetter(ID));
    }

    @Test
    void readsTheTaskTypes() {
        server.answer(json(
                200,
                "[{\"name\":\"sleep\",\"description\":\"Sleeps\",\"queue\":\"conveyor.tasks.sleep\","
                        + "\"defaults\":{\"maxAttempts\":3,\"timeout\":\"PT15M\"},"
                        + "\"payloadSchema\":{\"type\":\"object\"}}]"));
        List<TaskTypeInfo> types = client().taskTypes();
        assertEquals(1, types.size());
        assertEquals("sleep", types.get(0).name());
        assertEquals(Duration.ofMinutes(15), types.get(0).defaults().timeout());
        assertEquals("object", types.get(0).payloadSchema().path("type").asText());
        assertEquals("/api/v1/task-types", server.calls().get(0).uri());
    }

    private String last() {
        CannedServer.Call call = server.calls().get(server.calls().size() - 1);
        return call.method() + " " + call.uri();
    }
}
