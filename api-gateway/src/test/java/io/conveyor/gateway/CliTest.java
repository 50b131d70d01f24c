package io.conveyor.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;

import io.conveyor.cli.Cli;
import io.conveyor.model.Digests;
import io.conveyor.model.Headers;
import io.conveyor.model.Json;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalRedis;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.testsupport.TaskMessageBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conveyor CLI (conveyor-cli) against this gateway, its commands run in-process as {@code bin/conveyor} runs them,
 * with a keys file so that every call must carry its key. No worker runs here: a test writes a task's later states.
 */
@QuarkusTest
@TestProfile(CliTest.WithKeysFile.class)
class CliTest {

    static final String PRODUCER = "cli-test";
    static final String PRODUCER_KEY = "cli-producer-key-" + UUID.randomUUID();
    static final String READER_KEY = "cli-reader-key-" + UUID.randomUUID();
    static final String OPERATOR_KEY = "cli-operator-key-" + UUID.randomUUID();
    static final Path FILE = Path.of("target", "cli-test", "keys");

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
                                PRODUCER + " producer sha256:" + Digests.sha256(PRODUCER_KEY),
                                "cli-reader reader sha256:" + Digests.sha256(READER_KEY),
                                "cli-operator operator sha256:" + Digests.sha256(OPERATOR_KEY)),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("conveyor.security.keys-file", FILE.toAbsolutePath().toString());
        }
    }

    /** One run of {@code conveyor}: its exit code and what it printed. */
    record Run(int code, String out, String err) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs {@code conveyor ARGS} with {@code CONVEYOR_URL} set to this gateway and {@code CONVEYOR_API_KEY} to key. */
    static Run conveyor(String key, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("CONVEYOR_URL", "http://localhost:" + RestAssured.port);
        if (key != null) {
            env.put("CONVEYOR_API_KEY", key);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(
                env,
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                false,
                args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void clean() {
        services.broker().purgeAll();
    }

    /** The idempotency keys the CLI generated for this class's submits. */
    @AfterAll
    static void forgetGeneratedKeys() {
        try (LocalRedis redis = new LocalRedis()) {
            Object keys = redis.call("KEYS", StateKeys.idempotency(PRODUCER, "*"));
            if (keys instanceof List<?> found) {
                found.forEach(key -> redis.call("DEL", key.toString()));
            }
        }
    }

    private static String submitted(Run run) {
        assertEquals(0, run.code(), run.toString());
        return services.track(run.json().path("id").asText());
    }

    @Test
    void submitsReadsAndListsATask() {
        String id = submitted(conveyor(
                PRODUCER_KEY,
                "submit",
                "sleep",
                "--payload",
                "{\"duration\":\"PT1S\"}",
                "--max-attempts",
                "2",
                "-o",
                "json"));
        assertEquals(1, services.broker().messageCount(Topology.taskQueue("sleep")));

        Run get = conveyor(PRODUCER_KEY, "get", id);
        assertEquals(0, get.code(), get.toString());
        assertTrue(get.out().contains("status:   QUEUED"), get.out());
        assertTrue(get.out().contains("attempts: 0/2"), get.out());
        assertTrue(get.out().contains("client:   " + PRODUCER), get.out());

        Run list = conveyor(PRODUCER_KEY, "list", "--type", "sleep", "--status", "queued", "-o", "json");
        assertEquals(0, list.code(), list.toString());
        List<String> ids = new ArrayList<>();
        list.json().path("items").forEach(item -> ids.add(item.path("id").asText()));
        assertTrue(ids.contains(id), "listed: " + ids);

        Run table = conveyor(READER_KEY, "list", "--type", "sleep", "--limit", "100");
        assertEquals(0, table.code(), table.toString());
        assertTrue(table.out().lines().anyMatch(line -> line.startsWith(id + "  sleep  QUEUED")), table.out());
    }

    @Test
    void submitWaitAnswersTheOutcomeOnceTheTaskFinishes() throws Exception {
        CompletableFuture<Run> submit = CompletableFuture.supplyAsync(
                () -> conveyor(PRODUCER_KEY, "submit", "noop", "--wait", "20s", "-o", "json"));
        // Play the worker: take the task off its queue and record it succeeded.
        String id = services.track(services.broker()
                .take(Topology.taskQueue("noop"), Duration.ofSeconds(10))
                .getProps()
                .getMessageId());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !submit.isDone());
        services.redis().succeed(id, Map.of("answer", 42));
        Run run = submit.get();
        assertEquals(0, run.code(), run.toString());
        assertEquals(id, run.json().path("id").asText());
        assertEquals("SUCCEEDED", run.json().path("status").asText());
        assertEquals(42, run.json().path("result").path("answer").asInt());
    }

    @Test
    void aWaitThatRunsOutExits7AndADeadTaskExits1() {
        Run notYet = conveyor(PRODUCER_KEY, "submit", "noop", "--wait", "1s", "-o", "json");
        assertEquals(7, notYet.code(), notYet.toString());
        String id = services.track(notYet.json().path("id").asText());
        assertEquals("QUEUED", notYet.json().path("status").asText());

        services.redis()
                .transition(id, Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(1));
        Run running = conveyor(PRODUCER_KEY, "wait", id, "--timeout", "500ms");
        assertEquals(7, running.code(), running.toString());
        assertTrue(running.err().contains("still RUNNING"), running.err());

        services.redis()
                .transition(
                        id,
                        Transition.to(TaskStatus.DEAD, Instant.now())
                                .attempts(1)
                                .error(new TaskError("IllegalStateException", "boom", 1, Instant.now(), "test", null)));
        Run dead = conveyor(PRODUCER_KEY, "wait", id, "--timeout", "10s");
        assertEquals(1, dead.code(), dead.toString());
        assertTrue(dead.out().contains("error:") && dead.out().contains("IllegalStateException: boom"), dead.out());
    }

    @Test
    void cancelsOnceThenConflicts() {
        String id = submitted(conveyor(PRODUCER_KEY, "submit", "noop", "-o", "json"));
        Run cancel = conveyor(PRODUCER_KEY, "cancel", id);
        assertEquals(0, cancel.code(), cancel.toString());
        assertTrue(cancel.out().contains("CANCELLED"), cancel.out());
        Run again = conveyor(PRODUCER_KEY, "cancel", id);
        assertEquals(6, again.code(), again.toString());
        assertTrue(again.err().contains("409"), again.err());
        assertEquals(1, conveyor(PRODUCER_KEY, "wait", id).code(), "a cancelled task is not a success");
    }

    @Test
    void listsTheTaskTypes() {
        Run table = conveyor(READER_KEY, "types");
        assertEquals(0, table.code(), table.toString());
        assertTrue(table.out().lines().anyMatch(line -> line.startsWith("send_email ")), table.out());
        Run json = conveyor(PRODUCER_KEY, "types", "-o", "json");
        assertEquals(0, json.code(), json.toString());
        JsonNode sendEmail = null;
        for (JsonNode type : json.json()) {
            if (type.path("name").asText().equals("send_email")) {
                sendEmail = type;
            }
        }
        assertTrue(sendEmail != null, json.out());
        assertEquals("object", sendEmail.path("payloadSchema").path("type").asText());
        assertTrue(sendEmail.path("defaults").path("maxAttempts").asInt() > 0, sendEmail.toString());
    }

    @Test
    void listsReplaysAndDiscardsDeadLettersWithTheirRoles() {
        String replayed = deadTask();
        String discarded = deadTask();
        Run list = conveyor(READER_KEY, "dead-letters", "list", "--type", "fail", "-o", "json");
        assertEquals(0, list.code(), list.toString());
        List<String> ids = new ArrayList<>();
        list.json().forEach(dead -> ids.add(dead.path("id").asText()));
        assertTrue(ids.containsAll(List.of(replayed, discarded)), "listed: " + ids);
        assertEquals(5, conveyor(PRODUCER_KEY, "dead-letters", "list").code(), "a producer reads no dead letters");
        assertEquals(5, conveyor(READER_KEY, "dead-letters", "replay", replayed).code(), "a reader replays none");

        Run replay = conveyor(OPERATOR_KEY, "dead-letters", "replay", replayed);
        assertEquals(0, replay.code(), replay.toString());
        assertEquals(
                replayed,
                services.broker()
                        .take(Topology.taskQueue("fail"), Duration.ofSeconds(5))
                        .getProps()
                        .getMessageId());
        assertEquals("QUEUED", services.redis().task(replayed).get("status"));
        assertEquals(
                4, conveyor(OPERATOR_KEY, "dead-letters", "replay", replayed).code(), "no longer dead");

        Run discard = conveyor(OPERATOR_KEY, "dead-letters", "discard", discarded);
        assertEquals(0, discard.code(), discard.toString());
        assertEquals(0, services.broker().messageCount(Topology.DEAD_QUEUE));
        Run again = conveyor(OPERATOR_KEY, "dead-letters", "discard", discarded);
        assertEquals(4, again.code(), again.toString());
        assertTrue(again.err().contains("No dead letter " + discarded), again.err());
    }

    @Test
    void failuresExitWithTheirCodes() throws IOException {
        Run unknown = conveyor(PRODUCER_KEY, "get", "00000000-0000-0000-0000-00000000c11e");
        assertEquals(4, unknown.code(), unknown.toString());

        Run noKey = conveyor(null, "list");
        assertEquals(5, noKey.code(), noKey.toString());
        assertTrue(noKey.err().contains("401"), noKey.err());
        Run reader = conveyor(READER_KEY, "submit", "noop");
        assertEquals(5, reader.code(), reader.toString());
        assertTrue(reader.err().contains("403"), reader.err());

        Run invalid = conveyor(PRODUCER_KEY, "submit", "send_email", "-p", "{\"to\":\"not an address\"}");
        assertEquals(2, invalid.code(), invalid.toString());
        assertTrue(invalid.err().contains("  payload.to: "), invalid.err());
        assertEquals(2, conveyor(PRODUCER_KEY, "submit", "no_such_type").code());
        assertEquals(
                2, conveyor(PRODUCER_KEY, "submit", "noop", "--priority", "12").code());
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("send_email")));
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("noop")));

        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Run unreachable = conveyor(PRODUCER_KEY, "--url", "http://127.0.0.1:" + port, "types");
        assertEquals(3, unreachable.code(), unreachable.toString());
        assertTrue(unreachable.err().contains("cannot reach the gateway"), unreachable.err());
    }

    @Test
    void aBatchOfAHundredNoopsFromAJsonLinesFileWaitsUntilAllSucceeded() throws Exception {
        Path file = FILE.resolveSibling("noops.jsonl");
        Files.write(file, Collections.nCopies(100, "{\"type\":\"noop\"}"), StandardCharsets.UTF_8);
        CompletableFuture<Run> submit = CompletableFuture.supplyAsync(
                () -> conveyor(PRODUCER_KEY, "batch", "submit", "@" + file, "--wait", "30s", "-o", "json"));
        // Play the worker: take each task off its queue and record it succeeded, all but the last one for now.
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String id = services.track(services.broker()
                    .take(Topology.taskQueue("noop"), Duration.ofSeconds(10))
                    .getProps()
                    .getMessageId());
            ids.add(id);
            if (i < 99) {
                services.redis().succeed(id, Map.of());
            }
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !submit.isDone());
        services.redis().succeed(ids.get(99), Map.of());
        Run run = submit.get(30, TimeUnit.SECONDS);
        JsonNode batch = run.json();
        services.trackBatch(batch.path("id").asText());
        assertEquals(0, run.code(), run.toString());
        assertTrue(batch.path("done").asBoolean(), run.out());
        assertEquals(100, batch.path("size").asInt());
        assertEquals(100, batch.path("counts").path("SUCCEEDED").asInt(), run.out());
        Set<String> members = new HashSet<>();
        batch.path("taskIds").forEach(id -> members.add(id.asText()));
        assertEquals(new HashSet<>(ids), members);

        Run table = conveyor(READER_KEY, "batch", "get", batch.path("id").asText());
        assertEquals(0, table.code(), table.toString());
        assertTrue(table.out().contains("counts:  SUCCEEDED 100"), table.out());
        assertTrue(table.out().contains("client:  " + PRODUCER), table.out());
    }

    @Test
    void aBadLineOrARefusedTaskOfABatchExits2AndSubmitsNothing() throws IOException {
        Path file = FILE.resolveSibling("bad.jsonl");
        Files.write(
                file,
                List.of("{\"type\":\"noop\"}", "", "{\"type\":\"noop\",", "{\"type\":\"noop\"}"),
                StandardCharsets.UTF_8);
        Run bad = conveyor(PRODUCER_KEY, "batch", "submit", "@" + file, "--wait", "10s");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("bad.jsonl, line 3: not valid JSON"), bad.err());

        Files.write(
                file,
                List.of("{\"type\":\"noop\"}", "", "{\"type\":\"sleep\",\"payload\":{}}", "{\"type\":\"noop\"}"),
                StandardCharsets.UTF_8);
        Run refused = conveyor(PRODUCER_KEY, "batch", "submit", "@" + file);
        assertEquals(2, refused.code(), refused.toString());
        assertTrue(refused.err().contains("400"), refused.err());
        assertTrue(refused.err().contains("  line 3 (task 1): tasks[1].payload.duration: "), refused.err());
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("noop")));
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("sleep")));
    }

    /** A dead {@code fail} task: its state DEAD after one attempt, its message in the dead queue. */
    private static String deadTask() {
        TaskMessageBuilder task = aTask().ofType("fail").withPayload("{\"times\":1}");
        String id = services.track(task.id());
        Instant now = Instant.now();
        services.redis()
                .call(
                        "EVAL",
                        Scripts.CREATE,
                        "1",
                        StateKeys.task(id),
                        id,
                        "fail",
                        "QUEUED",
                        "3",
                        String.valueOf(now.toEpochMilli()),
                        "",
                        "");
        services.redis().transition(id, Transition.to(TaskStatus.RUNNING, now).attempts(1));
        services.redis()
                .transition(
                        id,
                        Transition.to(TaskStatus.DEAD, now)
                                .attempts(1)
                                .error(new TaskError("java.lang.IllegalStateException", "boom", 1, now, "test", null)));
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .messageId(id)
                .contentType("application/json")
                .deliveryMode(2)
                .headers(Map.of(
                        Headers.TASK_TYPE, "fail",
                        Headers.ATTEMPT, 1,
                        Headers.MAX_ATTEMPTS, 3,
                        Headers.DEAD_REASON, "non-retryable",
                        Headers.ERROR_CLASS, "java.lang.IllegalStateException",
                        Headers.ERROR_MESSAGE, "boom",
                        Headers.FAILED_AT, now.toString(),
                        Headers.WORKER, "test",
                        Headers.ORIGINAL_ROUTING_KEY, "fail"))
                .build();
        long before = services.broker().messageCount(Topology.DEAD_QUEUE);
        services.broker().publish(Topology.DEAD_LETTER_EXCHANGE, "fail", props, task.body());
        await().atMost(Duration.ofSeconds(5)).until(() -> services.broker().messageCount(Topology.DEAD_QUEUE) > before);
        return id;
    }
}
