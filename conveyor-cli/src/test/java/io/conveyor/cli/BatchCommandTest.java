package io.conveyor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conveyor batch submit|get|wait}, in-process, against a stand-in gateway. */
class BatchCommandTest {

    private static final String BATCH = "5f0c1d2e-0000-4000-8000-00000000ba7c";
    private static final String ACCEPTED = "{\"id\":\"" + BATCH + "\",\"size\":3,\"taskIds\":[\"t1\",\"t2\",\"t3\"]}";

    private final Gateway gateway = new Gateway();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        gateway.close();
    }

    private static String view(int remaining, String counts) {
        return "{\"id\":\"" + BATCH + "\",\"size\":3,\"remaining\":" + remaining + ",\"done\":" + (remaining == 0)
                + ",\"counts\":" + counts + ",\"taskIds\":[\"t1\",\"t2\",\"t3\"],"
                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"client\":\"ci\",\"onCompleteTaskId\":null,"
                + "\"onCompletePublished\":false}";
    }

    private Run withStdin(String stdin, String... args) {
        return Run.of(Map.of("CONVEYOR_URL", gateway.url(), "CONVEYOR_API_KEY", "env-key"), stdin, args);
    }

    private Run run(String... args) {
        return withStdin("", args);
    }

    private String file(String text) throws IOException {
        Path file = dir.resolve("tasks.jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return "@" + file;
    }

    /** A long poll of the batch for the rest of the wait: at most {@code wait}, and not much less. */
    private static void assertLongPoll(String uri, Duration wait) {
        String prefix = "/api/v1/batches/" + BATCH + "?wait=";
        assertTrue(uri.startsWith(prefix), uri);
        Duration asked = Duration.parse(uri.substring(prefix.length()));
        assertTrue(asked.compareTo(wait) <= 0 && asked.compareTo(wait.minusMillis(500)) > 0, uri);
    }

    @Test
    void submitSendsEveryLineAsOneBatchWithItsKeyAndOnCompleteTask() throws Exception {
        gateway.answer(202, ACCEPTED);
        Run run = run(
                "batch",
                "submit",
                file("{\"type\":\"noop\"}\n\n{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT1S\"},"
                        + "\"options\":{\"priority\":3}}\n{\"type\":\"noop\",\"payload\":{}}\n"),
                "--key",
                "nightly-7",
                "--on-complete",
                "{\"type\":\"noop\"}");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("id:   " + BATCH), run.out());
        assertTrue(run.out().contains("size: 3"), run.out());
        assertTrue(run.err().contains("conveyor batch wait " + BATCH), run.err());
        assertEquals(1, gateway.requests().size());
        Gateway.Request request = gateway.requests().get(0);
        assertEquals("POST /api/v1/batches", request.method() + " " + request.uri());
        assertEquals("nightly-7", request.idempotencyKey());
        JsonNode body = Json.mapper().readTree(request.body());
        assertEquals(3, body.path("tasks").size());
        assertEquals("sleep", body.path("tasks").path(1).path("type").asText());
        assertEquals(
                "PT1S",
                body.path("tasks").path(1).path("payload").path("duration").asText());
        assertEquals(
                3, body.path("tasks").path(1).path("options").path("priority").asInt());
        assertEquals("noop", body.path("onComplete").path("type").asText());
    }

    @Test
    void tasksFromStandardInputAndJsonOutputIsTheAcceptedBatch() throws Exception {
        gateway.answer(202, ACCEPTED);
        Run run = withStdin(
                "{\"type\":\"noop\"}\n{\"type\":\"noop\"}\n{\"type\":\"noop\"}\n",
                "batch",
                "submit",
                "@-",
                "-o",
                "json");
        assertEquals(0, run.code(), run.toString());
        assertEquals(Json.mapper().readTree(ACCEPTED), Json.mapper().readTree(run.out()));
        assertFalse(gateway.requests().get(0).idempotencyKey().isBlank(), "a key generated per run");
    }

    @Test
    void aBadLineExits2NamingItAndSubmitsNothing() throws Exception {
        Run run = run("batch", "submit", file("{\"type\":\"noop\"}\n\n{\"type\":\"noop\",\n{\"type\":\"noop\"}\n"));
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("tasks.jsonl, line 3: not valid JSON"), run.err());
        assertEquals(2, run("batch", "submit", file("\n\n")).code(), "no task at all");
        Run noAt = run("batch", "submit", dir.resolve("tasks.jsonl").toString());
        assertEquals(2, noAt.code());
        assertTrue(noAt.err().contains("@FILE"), noAt.err());
        Run missing = run("batch", "submit", "@" + dir.resolve("absent.jsonl"));
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
        Run badOnComplete = run("batch", "submit", file("{\"type\":\"noop\"}"), "--on-complete", "{\"payload\":{}}");
        assertEquals(2, badOnComplete.code());
        assertTrue(badOnComplete.err().contains("--on-complete: type is required"), badOnComplete.err());
        assertEquals(
                2,
                run("batch", "submit", file("{\"type\":\"noop\"}"), "--wait", "0s")
                        .code());
        assertEquals(2, run("batch").code(), "no subcommand: the usage");
        assertEquals(0, gateway.requests().size());
    }

    @Test
    void aRefusedBatchNamesEachBadTaskByItsLine() throws Exception {
        gateway.answer(
                400,
                "{\"type\":\"urn:conveyor:problem:validation\",\"title\":\"Invalid task request\",\"status\":400,"
                        + "\"detail\":\"The batch is invalid; nothing was accepted.\",\"errors\":["
                        + "{\"field\":\"tasks[1].payload.duration\",\"message\":\"must not be null\",\"index\":1},"
                        + "{\"field\":\"tasks[2].type\",\"message\":\"unknown task type\",\"index\":2},"
                        + "{\"field\":\"onComplete.options.delay\",\"message\":\"is not supported\",\"index\":-1}]}");
        Run run = run(
                "batch",
                "submit",
                file("{\"type\":\"noop\"}\n\n{\"type\":\"sleep\",\"payload\":{}}\n{\"type\":\"nope\"}\n"),
                "--on-complete",
                "{\"type\":\"noop\",\"options\":{\"delay\":\"1m\"}}");
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("400 Invalid task request: The batch is invalid"), run.err());
        assertTrue(run.err().contains("  line 3 (task 1): tasks[1].payload.duration: must not be null"), run.err());
        assertTrue(run.err().contains("  line 4 (task 2): tasks[2].type: unknown task type"), run.err());
        assertTrue(run.err().contains("  --on-complete: onComplete.options.delay: is not supported"), run.err());
    }

    @Test
    void submitWaitExitsByTheOutcomeOfEveryTask() throws Exception {
        String tasks = file("{\"type\":\"noop\"}\n{\"type\":\"noop\"}\n{\"type\":\"noop\"}\n");
        gateway.answer("POST", 202, ACCEPTED);
        gateway.answer("GET", 200, view(0, "{\"SUCCEEDED\":3}"));
        Run done = run("batch", "submit", tasks, "--wait", "30s");
        assertEquals(0, done.code(), done.toString());
        assertTrue(done.out().contains("counts:  SUCCEEDED 3"), done.out());
        assertTrue(done.out().contains("done:    yes"), done.out());
        assertLongPoll(gateway.requests().get(1).uri(), Duration.ofSeconds(30));

        gateway.answer("GET", 200, view(0, "{\"SUCCEEDED\":2,\"DEAD\":1}"));
        Run dead = run("batch", "submit", "--wait", tasks, "-o", "json");
        assertEquals(1, dead.code(), dead.toString());
        assertEquals(
                1,
                Json.mapper().readTree(dead.out()).path("counts").path("DEAD").asInt());
        assertEquals(
                "/api/v1/batches/" + BATCH + "?wait=PT1M",
                gateway.requests().getLast().uri(),
                "--wait without a duration (here before @FILE) waits 10m, in long polls of at most 60 s");

        gateway.answer("GET", 200, view(1, "{\"SUCCEEDED\":2,\"RUNNING\":1}"));
        Run notYet = run("batch", "submit", tasks, "--wait", "300ms");
        assertEquals(7, notYet.code(), notYet.toString());
        assertTrue(notYet.out().contains("done:    no, 1 remaining"), notYet.out());
        assertTrue(notYet.err().contains("`conveyor batch wait " + BATCH + "` waits again"), notYet.err());
    }

    @Test
    void getAndWaitReadTheBatch() {
        gateway.answer(200, view(1, "{\"QUEUED\":1,\"SUCCEEDED\":2}"));
        Run get = run("batch", "get", BATCH);
        assertEquals(0, get.code(), get.toString());
        assertTrue(get.out().contains("counts:  QUEUED 1  SUCCEEDED 2"), get.out());
        assertEquals("/api/v1/batches/" + BATCH, gateway.requests().get(0).uri());
        assertEquals(7, run("batch", "wait", BATCH, "--timeout", "200ms").code());

        gateway.answer(200, view(0, "{\"SUCCEEDED\":2,\"CANCELLED\":1}"));
        assertEquals(1, run("batch", "wait", BATCH).code());

        gateway.problem(404, "batch-not-found", "No batch " + BATCH);
        Run unknown = run("batch", "get", BATCH);
        assertEquals(4, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("no batch " + BATCH), unknown.err());
        assertEquals(4, run("batch", "wait", BATCH).code());
    }

    @Test
    void theProgressDisplayShowsTasksDoneWhenForced() {
        gateway.answer(200, view(0, "{\"SUCCEEDED\":3}"));
        Run run = run("batch", "wait", BATCH, "--progress");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.err().contains(BATCH + "  [####################] 3/3 done  SUCCEEDED 3"), run.err());
        assertTrue(run.err().endsWith("\n"), "the line is ended");
        assertLongPoll(gateway.requests().get(0).uri(), Duration.ofSeconds(1));
        assertEquals("", run("batch", "wait", BATCH).err(), "off when standard error is no terminal");
    }
}
