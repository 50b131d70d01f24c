package io.conveyor.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.client.ConflictException;
import io.conveyor.client.ConveyorClient;
import io.conveyor.client.InvalidTaskException;
import io.conveyor.client.Problem;
import io.conveyor.client.SubmitOptions;
import io.conveyor.client.TaskNotFoundException;
import io.conveyor.client.TaskPage;
import io.conveyor.client.UnauthorizedException;
import io.conveyor.model.Digests;
import io.conveyor.model.TaskAccepted;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;
import io.conveyor.model.Topology;
import io.conveyor.model.payload.NoopPayload;
import io.conveyor.model.payload.SendEmailPayload;
import io.conveyor.model.payload.SleepPayload;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalRedis;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java client (conveyor-client) against this gateway, with a keys file so that every call must carry its API key.
 * No worker runs here: a test writes a task's later states itself.
 */
@QuarkusTest
@TestProfile(JavaClientTest.WithKeysFile.class)
class JavaClientTest {

    static final String CLIENT = "java-client-test";
    static final String PRODUCER_KEY = "java-client-key-" + UUID.randomUUID();
    static final String READER_KEY = "java-client-reader-key-" + UUID.randomUUID();
    static final Path FILE = Path.of("target", "java-client-test", "keys");

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    /** Writes the keys file and points the gateway at it. */
    public static class WithKeysFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(FILE.getParent());
                Files.write(
                        FILE,
                        List.of(
                                CLIENT + " producer sha256:" + Digests.sha256(PRODUCER_KEY),
                                "java-client-reader reader sha256:" + Digests.sha256(READER_KEY)),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("conveyor.security.keys-file", FILE.toAbsolutePath().toString());
        }
    }

    private ConveyorClient conveyor;

    @BeforeEach
    void connect() {
        services.broker().purgeAll();
        conveyor = client(PRODUCER_KEY).build();
    }

    @AfterEach
    void disconnect() {
        conveyor.close();
    }

    /** The keys the client generated for this class's submits: one per call, within the client's namespace. */
    @AfterAll
    static void forgetGeneratedKeys() {
        try (LocalRedis redis = new LocalRedis()) {
            Object keys = redis.call("KEYS", StateKeys.idempotency(CLIENT, "*"));
            if (keys instanceof List<?> found) {
                found.forEach(key -> redis.call("DEL", key.toString()));
            }
        }
    }

    private static ConveyorClient.Builder client(String key) {
        return ConveyorClient.builder()
                .baseUrl("http://localhost:" + RestAssured.port)
                .apiKey(key);
    }

    private static String track(TaskAccepted accepted) {
        return services.track(accepted.id());
    }

    @Test
    void submitsATypedPayloadReadsItAndAwaitsItsOutcome() throws Exception {
        TaskAccepted accepted = conveyor.submit(
                new SendEmailPayload("ada@example.com", "Your report", "Download it.", null, null, null),
                SubmitOptions.defaults().withMaxAttempts(2));
        String id = track(accepted);
        assertEquals("send_email", accepted.type());
        assertEquals(TaskStatus.QUEUED, accepted.status());
        assertEquals(1, services.broker().messageCount(Topology.taskQueue("send_email")));

        TaskView view = conveyor.get(id).orElseThrow();
        assertEquals(TaskStatus.QUEUED, view.status());
        assertEquals(2, view.maxAttempts());
        assertEquals(CLIENT, view.client(), "submitted with the client's API key");

        // Polls of one second: the await must span several of them before the task finishes.
        try (ConveyorClient shortPolls =
                client(PRODUCER_KEY).longPollCap(Duration.ofSeconds(1)).build()) {
            CompletableFuture<TaskView> outcome =
                    CompletableFuture.supplyAsync(() -> shortPolls.await(id, Duration.ofSeconds(30)));
            await().during(Duration.ofMillis(2_500))
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> !outcome.isDone());
            services.redis()
                    .transition(
                            id, Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(1));
            services.redis()
                    .transition(
                            id,
                            Transition.to(TaskStatus.SUCCEEDED, Instant.now())
                                    .attempts(1)
                                    .result(Map.of("messageId", "<" + id + "@conveyor>")));
            TaskView done = outcome.get();
            assertEquals(TaskStatus.SUCCEEDED, done.status());
            assertEquals(
                    "<" + id + "@conveyor>", done.result().path("messageId").asText());
        }
    }

    @Test
    void awaitAnswersTheLastViewWhenTheTimeRunsOut() {
        String id = track(conveyor.submit(new NoopPayload()));
        TaskView last = conveyor.await(id, Duration.ofSeconds(1));
        assertEquals(TaskStatus.QUEUED, last.status());
        assertFalse(last.status().terminal());
    }

    @Test
    void anInvalidPayloadIsATypedExceptionListingTheField() {
        InvalidTaskException e = assertThrows(
                InvalidTaskException.class,
                () -> conveyor.submit(new SendEmailPayload("not an address", "Hi", "Hello", null, null, null)));
        assertEquals(400, e.status());
        assertEquals("validation", e.problem().slug());
        assertTrue(
                e.errors().stream().map(Problem.FieldError::field).anyMatch("payload.to"::equals),
                "errors: " + e.errors());
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("send_email")));
    }

    @Test
    void anUnknownTypeByNameIsInvalidToo() {
        InvalidTaskException e = assertThrows(
                InvalidTaskException.class, () -> conveyor.submit("no_such_type", Map.of(), SubmitOptions.defaults()));
        assertEquals(400, e.status());
    }

    @Test
    void cancelsAQueuedTaskOnce() {
        String id = track(conveyor.submit(new NoopPayload()));
        assertEquals(TaskStatus.CANCELLED, conveyor.cancel(id).status());
        ConflictException again = assertThrows(ConflictException.class, () -> conveyor.cancel(id));
        assertTrue(
                again.problem().detail().contains("CANCELLED"), again.problem().detail());
        String unknown = "00000000-0000-0000-0000-00000000c1e7";
        assertThrows(TaskNotFoundException.class, () -> conveyor.cancel(unknown));
        assertTrue(conveyor.get(unknown).isEmpty());
        assertThrows(TaskNotFoundException.class, () -> conveyor.await(unknown, Duration.ofSeconds(1)));
    }

    @Test
    void listsOwnTasksPageByPage() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(0, track(conveyor.submit(new SleepPayload(Duration.ofSeconds(1)))));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            TaskPage page = conveyor.list(TaskStatus.QUEUED, "sleep", 2, cursor);
            assertTrue(page.items().size() <= 2);
            page.items().forEach(v -> seen.add(v.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertEquals(mine, seen.stream().filter(mine::contains).toList(), "all three, newest first");
    }

    @Test
    void oneKeyMakesOneTaskAndEachCallItsOwn() {
        String key = "java-client-" + UUID.randomUUID();
        services.trackKey(StateKeys.idempotency(CLIENT, key));
        SubmitOptions keyed = SubmitOptions.defaults().withIdempotencyKey(key);
        String first = track(conveyor.submit(new NoopPayload(), keyed));
        assertEquals(first, conveyor.submit(new NoopPayload(), keyed).id());
        String generated = track(conveyor.submit(new NoopPayload()));
        String another = track(conveyor.submit(new NoopPayload()));
        assertNotEquals(generated, another, "a generated key is per call, not per client");
        assertEquals(3, services.broker().messageCount(Topology.taskQueue("noop")));
    }

    @Test
    void theApiKeyIsSentAndItsRolesApply() {
        try (ConveyorClient stranger = client("not-a-key").build();
                ConveyorClient reader = client(READER_KEY).build()) {
            UnauthorizedException unknown =
                    assertThrows(UnauthorizedException.class, () -> stranger.submit(new NoopPayload()));
            assertEquals(401, unknown.status());
            UnauthorizedException forbidden =
                    assertThrows(UnauthorizedException.class, () -> reader.submit(new NoopPayload()));
            assertEquals(403, forbidden.status());
            String id = track(conveyor.submit(new NoopPayload()));
            assertEquals(id, reader.get(id).orElseThrow().id(), "a reader reads every task");
        }
        assertEquals(1, services.broker().messageCount(Topology.taskQueue("noop")));
    }
}
