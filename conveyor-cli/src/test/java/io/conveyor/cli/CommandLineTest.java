package io.conveyor.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Arguments, exit codes and output of {@code conveyor}, in-process, against a stand-in gateway. */
class CommandLineTest {

    private static final String ID = "0b7e3c9e-5d0c-4a53-9a55-2f1f6f1c2b11";
    private static final String ACCEPTED =
            "{\"id\":\"" + ID + "\",\"type\":\"noop\",\"status\":\"QUEUED\",\"createdAt\":\"2026-01-01T00:00:00Z\"}";

    private final Gateway gateway = new Gateway();

    @AfterEach
    void stop() {
        gateway.close();
    }

    private static String view(String status, String extra) {
        return "{\"id\":\"" + ID + "\",\"type\":\"noop\",\"status\":\"" + status + "\",\"attempts\":1,"
                + "\"maxAttempts\":3,\"result\":null,\"lastError\":null,\"createdAt\":\"2026-01-01T00:00:00.123Z\","
                + "\"updatedAt\":\"2026-01-01T00:00:01Z\",\"nextAttemptAt\":null,\"client\":\"ci\","
                + "\"artifactUrl\":null,\"batch\":null"
                + (extra.contains("\"progress\"") ? "" : ",\"progress\":null")
                + ",\"schedule\":null,\"callback\":null,\"waiting\":null" + extra + "}";
    }

    private Run run(String... args) {
        return Run.of(Map.of("CONVEYOR_URL", gateway.url(), "CONVEYOR_API_KEY", "env-key"), "", args);
    }

    @Test
    void submitSendsTypePayloadOptionsAndKeyAndPrintsTheAcceptedTask() throws Exception {
        gateway.answer(202, ACCEPTED);
        Run run = run(
                "submit",
                "send_email",
                "--payload",
                "{\"to\":\"ada@example.com\"}",
                "--key",
                "order-42",
                "--delay",
                "1m30s",
                "--priority",
                "7",
                "--max-attempts",
                "2",
                "--callback-url",
                "https://example.com/hooks/conveyor");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("id:"), run.out());
        assertTrue(run.out().contains(ID), run.out());
        assertTrue(run.out().contains("QUEUED"), run.out());
        Gateway.Request request = gateway.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("Bearer env-key", request.authorization());
        assertEquals(null, request.prefer(), "no wait asked");
        JsonNode body = Json.mapper().readTree(request.body());
        assertEquals("send_email", body.path("type").asText());
        assertEquals("ada@example.com", body.path("payload").path("to").asText());
        assertEquals("PT1M30S", body.path("options").path("delay").asText());
        assertEquals(7, body.path("options").path("priority").asInt());
        assertEquals(2, body.path("options").path("maxAttempts").asInt());
        assertEquals(
                "https://example.com/hooks/conveyor",
                body.path("options").path("callbackUrl").asText());
    }

    @Test
    void optionsOverrideTheEnvironmentAnywhereOnTheLine() {
        gateway.answer(200, view("RUNNING", ""));
        Run run = Run.of(
                Map.of("CONVEYOR_URL", "http://127.0.0.1:1", "CONVEYOR_API_KEY", "env-key"),
                "",
                "get",
                ID,
                "--url",
                gateway.url(),
                "--api-key",
                "flag-key");
        assertEquals(0, run.code(), run.toString());
        assertEquals("Bearer flag-key", gateway.requests().get(0).authorization());
        assertEquals("/api/v1/tasks/" + ID, gateway.requests().get(0).uri());
    }

    @Test
    void aPayloadFromAFileOrStandardInput(@TempDir Path dir) throws IOException {
        gateway.answer(202, ACCEPTED);
        Path file = dir.resolve("payload.json");
        Files.writeString(file, "{\"duration\":\"PT1S\"}", StandardCharsets.UTF_8);
        assertEquals(0, run("submit", "sleep", "--payload", "@" + file).code());
        Run fromStdin = Run.of(Map.of("CONVEYOR_URL", gateway.url()), "{\"times\":2}", "submit", "fail", "-p", "@-");
        assertEquals(0, fromStdin.code(), fromStdin.toString());
        assertTrue(gateway.requests().get(0).body().contains("\"duration\":\"PT1S\""));
        assertTrue(gateway.requests().get(1).body().contains("\"times\":2"));
        assertEquals(null, gateway.requests().get(1).authorization(), "no key configured, none sent");
    }

    @Test
    void badArgumentsExit2BeforeAnyRequest(@TempDir Path dir) {
        Run noType = run("submit");
        assertEquals(2, noType.code());
        assertTrue(noType.err().contains("Missing required parameter: 'TYPE'"), noType.err());
        Run badJson = run("submit", "noop", "--payload", "{\"to\":");
        assertEquals(2, badJson.code());
        assertTrue(badJson.err().contains("is not valid JSON"), badJson.err());
        Run noFile = run("submit", "noop", "--payload", "@" + dir.resolve("absent.json"));
        assertEquals(2, noFile.code());
        assertTrue(noFile.err().contains("no such file"), noFile.err());
        Run bareNumber = run("submit", "noop", "--wait", "30");
        assertEquals(2, bareNumber.code());
        assertTrue(bareNumber.err().contains("with a unit"), bareNumber.err());
        assertEquals(2, run("wait", ID, "--timeout", "0s").code());
        assertEquals(2, run("list", "--status", "SLEEPING").code());
        assertEquals(2, run("list", "--limit", "many").code());
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run().code(), "no command: the usage");
        assertEquals(2, run("dead-letters").code());
        assertEquals(2, run("dead-letters", "replay").code(), "neither an id nor --all");
        assertEquals(2, run("dead-letters", "replay", ID, "--all").code());
        assertEquals(2, run("dead-letters", "replay", ID, "--type", "fail").code());
        Run badUrl = Run.of(Map.of(), "", "--url", "ftp://example.com", "get", ID);
        assertEquals(2, badUrl.code());
        assertTrue(badUrl.err().contains("http or https"), badUrl.err());
        assertEquals(0, gateway.requests().size());
    }

    @Test
    void helpAndVersionExit0() {
        Run help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Exit codes:"), help.out());
        assertTrue(help.out().contains("dead-letters"), help.out());
        assertEquals(0, run("submit", "--help").code());
        assertTrue(run("--version").out().startsWith("conveyor "));
    }

    @Test
    void aStatusCaseInsensitiveAndTheFiltersReachTheQuery() {
        gateway.answer(200, "{\"items\":[" + view("QUEUED", "") + "],\"nextCursor\":\"abc\"}");
        Run run = run("list", "--status", "queued", "--type", "noop", "--limit", "5");
        assertEquals(0, run.code(), run.toString());
        assertEquals(
                "/api/v1/tasks?status=QUEUED&type=noop&limit=5",
                gateway.requests().get(0).uri());
        String[] lines = run.out().split("\n");
        assertTrue(lines[0].matches("ID +TYPE +STATUS +ATTEMPTS +CREATED +UPDATED"), lines[0]);
        assertTrue(lines[1].startsWith(ID + "  noop"), lines[1]);
        assertTrue(lines[1].contains("1/3"), lines[1]);
        assertTrue(run.err().contains("--cursor abc"), run.err());
    }

    @Test
    void jsonOutputIsTheApisViewWithItsNulls() throws Exception {
        gateway.answer(200, view("SUCCEEDED", ""));
        Run run = run("get", ID, "-o", "json");
        assertEquals(0, run.code(), run.toString());
        JsonNode printed = Json.mapper().readTree(run.out());
        assertEquals(Json.mapper().readTree(view("SUCCEEDED", "")), printed);
        assertTrue(printed.has("nextAttemptAt") && printed.get("nextAttemptAt").isNull());
    }

    @Test
    void getShowsTheProgressARunningTaskReported() {
        gateway.answer(
                200,
                view(
                        "RUNNING",
                        ",\"progress\":{\"done\":3,\"total\":10,\"message\":\"slept 3 of 10 s\","
                                + "\"updatedAt\":\"2026-01-01T00:00:02Z\"}"));
        Run run = run("get", ID);
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("progress: 3/10 (30%) slept 3 of 10 s\n"), run.out());
    }

    @Test
    void submitWaitSendsPreferWaitAndExitsByTheOutcome() {
        gateway.answer(200, view("SUCCEEDED", ""));
        Run done = run("submit", "noop", "--wait", "30s");
        assertEquals(0, done.code(), done.toString());
        assertEquals("wait=30", gateway.requests().get(0).prefer());
        assertTrue(done.out().contains("SUCCEEDED"), done.out());

        gateway.answer(200, view("DEAD", ""));
        assertEquals(1, run("submit", "noop", "--wait", "30s").code());
        gateway.answer(200, view("CANCELLED", ""));
        assertEquals(1, run("wait", ID).code());
    }

    @Test
    void aWaitThatRunsOutExits7AndSaysHowToWaitAgain() {
        gateway.answer(200, view("RUNNING", ""));
        Run run = run("wait", ID, "--timeout", "300ms");
        assertEquals(7, run.code(), run.toString());
        assertTrue(run.out().contains("RUNNING"), run.out());
        assertTrue(run.err().contains("conveyor wait " + ID), run.err());
    }

    @Test
    void theProgressDisplayShowsTheStatusOnStandardErrorWhenForced() {
        gateway.answer(200, view("SUCCEEDED", ""));
        Run run = run("wait", ID, "--progress");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.err().contains(ID + "  SUCCEEDED  attempt 1/3"), run.err());
        assertTrue(run.err().endsWith("\n"), "the line is ended");
        assertFalse(run.out().contains("\r"), "nothing of it on standard output");
        Run quiet = run("wait", ID);
        assertEquals("", quiet.err(), "off when standard error is no terminal");
    }

    @Test
    void errorAnswersMapToExitCodesWithTheProblemOnStandardError() {
        gateway.problem(404, "task-not-found", "No task " + ID);
        Run notFound = run("get", ID);
        assertEquals(4, notFound.code());
        assertTrue(notFound.err().contains("no task " + ID), notFound.err());
        assertEquals(4, run("cancel", ID).code());
        assertEquals(4, run("wait", ID).code());

        gateway.problem(404, "dead-letter-not-found", "No dead letter x");
        assertEquals(4, run("dead-letters", "discard", "x").code());

        gateway.problem(401, "unauthorized", "An API key is required");
        Run noKey = Run.of(Map.of("CONVEYOR_URL", gateway.url()), "", "types");
        assertEquals(5, noKey.code());
        assertTrue(noKey.err().contains("401 T401: An API key is required"), noKey.err());
        assertTrue(noKey.err().contains("CONVEYOR_API_KEY"), noKey.err());
        gateway.problem(403, "forbidden", "not allowed");
        assertEquals(5, run("dead-letters", "list").code());

        gateway.problem(409, "conflict", "Task is RUNNING");
        Run conflict = run("cancel", ID);
        assertEquals(6, conflict.code());
        assertTrue(conflict.err().contains("Task is RUNNING"), conflict.err());

        gateway.answer(
                400,
                "{\"type\":\"urn:conveyor:problem:validation\",\"title\":\"Invalid task request\",\"status\":400,"
                        + "\"detail\":\"payload.to must be a well-formed email address\",\"errors\":"
                        + "[{\"field\":\"payload.to\",\"message\":\"must be a well-formed email address\"}]}");
        Run invalid = run("submit", "send_email", "-p", "{\"to\":\"nope\"}");
        assertEquals(2, invalid.code());
        assertTrue(invalid.err().contains("  payload.to: must be a well-formed email address"), invalid.err());

        gateway.answer(500, "{\"status\":500}");
        assertEquals(6, run("types").code());
    }

    @Test
    void anUnreachableGatewayExits3() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Run run = Run.of(Map.of("CONVEYOR_URL", "http://127.0.0.1:" + port), "", "list");
        assertEquals(3, run.code(), run.toString());
        assertTrue(run.err().contains("cannot reach the gateway at http://127.0.0.1:" + port), run.err());
        gateway.problem(503, "queue-full", "The queue is full");
        Run unavailable = run("submit", "noop");
        assertEquals(3, unavailable.code(), unavailable.toString());
        assertTrue(unavailable.err().contains("The queue is full"), unavailable.err());
    }

    @Test
    void deadLettersAreListedReplayedAndDiscarded() {
        gateway.answer(
                200,
                "[{\"id\":\"" + ID + "\",\"type\":\"fail\",\"reason\":\"exhausted\",\"errorClass\":\"E\","
                        + "\"errorMessage\":\"boom\",\"attempts\":3,\"failedAt\":\"2026-01-01T00:00:00Z\","
                        + "\"worker\":\"w\",\"status\":\"DEAD\",\"failures\":[]}]");
        Run list = run("dead-letters", "list", "--type", "fail");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().contains("exhausted"), list.out());
        assertTrue(list.out().contains("E: boom"), list.out());
        assertEquals("/api/v1/dead-letters?type=fail", gateway.requests().get(0).uri());

        gateway.answer(202, "{\"id\":\"" + ID + "\",\"status\":\"QUEUED\"}");
        assertEquals(0, run("dead-letters", "replay", ID).code());
        gateway.answer(202, "{\"replayed\":1,\"unroutable\":[\"x\"]}");
        Run all = run("dead-letters", "replay", "--all", "--type", "fail");
        assertEquals(6, all.code(), "one could not be replayed");
        assertTrue(all.out().contains("left dead"), all.out());
        gateway.answer(204, "");
        assertEquals(0, run("dead-letters", "discard", ID).code());
        assertEquals(
                "DELETE /api/v1/dead-letters/" + ID,
                gateway.requests().getLast().method() + " "
                        + gateway.requests().getLast().uri());
    }

    @Test
    void typesAreATable() {
        gateway.answer(
                200,
                "[{\"name\":\"sleep\",\"description\":\"Sleeps a while\",\"queue\":\"conveyor.tasks.sleep\","
                        + "\"defaults\":{\"maxAttempts\":3,\"timeout\":\"PT15M\"},\"payloadSchema\":{}}]");
        Run run = run("types");
        assertEquals(0, run.code(), run.toString());
        String[] lines = run.out().split("\n");
        assertTrue(lines[0].startsWith("TYPE   QUEUE"), lines[0]);
        assertTrue(lines[1].matches("sleep +conveyor.tasks.sleep +3 +PT15M +Sleeps a while"), lines[1]);
    }

    @Test
    void aLowerMaxWaitOfTheGatewayCapsTheLongPolls() {
        gateway.answer(200, view("SUCCEEDED", ""));
        Run run = Run.of(Map.of("CONVEYOR_URL", gateway.url(), "CONVEYOR_MAX_WAIT", "PT10S"), "", "wait", ID);
        assertEquals(0, run.code(), run.toString());
        assertEquals(
                "/api/v1/tasks/" + ID + "?wait=PT10S", gateway.requests().get(0).uri());
        Run bad = Run.of(Map.of("CONVEYOR_URL", gateway.url(), "CONVEYOR_MAX_WAIT", "10"), "", "wait", ID);
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("CONVEYOR_MAX_WAIT"), bad.err());
    }
}
