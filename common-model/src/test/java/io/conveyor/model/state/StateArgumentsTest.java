package io.conveyor.model.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskOptions;
import io.conveyor.model.TaskStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The arguments the scripts read by position: as many as {@link Scripts} declares, with the payload kept only up to
 * its limit and the worker of a RUNNING move. The scripts' behaviour is tested against Redis in the apps.
 */
class StateArgumentsTest {

    private static final Instant CREATED = Instant.parse("2026-12-03T06:00:00.123Z");

    private static TaskEnvelope task(String payloadJson) throws Exception {
        JsonNode payload = payloadJson == null ? null : Json.mapper().readTree(payloadJson);
        return new TaskEnvelope("t-1", "noop", payload, 3, CREATED, "acme");
    }

    /** A JSON object whose compact text is exactly {@code bytes} long. */
    private static String payloadOf(int bytes) {
        String frame = "{\"text\":\"\"}";
        return "{\"text\":\"" + "x".repeat(bytes - frame.length()) + "\"}";
    }

    @Test
    void createArgumentsKeepASmallPayloadAndTheOptions() throws Exception {
        KeptOptions options = KeptOptions.of(
                new TaskOptions(5, Duration.ofSeconds(30), 7, "key-1"),
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        List<String> args = TaskRecords.createArguments(task("{\"a\":1}"), CREATED.plusSeconds(30), options, "b-1");
        assertEquals(Scripts.CREATE_ARGS, args.size());
        assertEquals(
                List.of("t-1", "noop", "QUEUED", "3", "1796277600123", "1796277630123", "acme", "b-1"),
                args.subList(0, 8));
        assertEquals("{\"a\":1}", args.get(8));
        assertEquals("", args.get(9));
        assertEquals(
                Json.mapper()
                        .readTree("{\"maxAttempts\":5,\"delay\":\"PT30S\",\"priority\":7,\"idempotencyKey\":\"key-1\","
                                + "\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}"),
                Json.mapper().readTree(args.get(10)));
    }

    @Test
    void keepsTheTraceIdOfAValidTraceparentOnly() {
        assertEquals(
                "4bf92f3577b34da6a3ce929d0e0e4736",
                KeptOptions.of(null, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                        .traceId());
        assertEquals(null, KeptOptions.of(null, "not-a-traceparent").traceId());
        assertEquals(null, KeptOptions.of(TaskOptions.NONE, null).traceId());
    }

    @Test
    void createArgumentsKeepOnlyTheSizeOfAPayloadOverTheLimit() throws Exception {
        String limit = payloadOf(TaskRecords.MAX_KEPT_PAYLOAD_BYTES);
        assertEquals(
                limit,
                TaskRecords.createArguments(task(limit), null, null, null).get(8));
        String over = payloadOf(TaskRecords.MAX_KEPT_PAYLOAD_BYTES + 1);
        List<String> args = TaskRecords.createArguments(task(over), null, null, null);
        assertEquals(List.of("", "", String.valueOf(TaskRecords.MAX_KEPT_PAYLOAD_BYTES + 1), ""), args.subList(7, 11));
    }

    @Test
    void thePayloadLimitCountsBytesNotCharacters() throws Exception {
        // 'é' is two bytes in UTF-8: this payload has fewer characters than the limit but more bytes.
        String text = "é".repeat(TaskRecords.MAX_KEPT_PAYLOAD_BYTES / 2);
        List<String> args = TaskRecords.createArguments(task("{\"t\":\"" + text + "\"}"), null, null, null);
        assertEquals("", args.get(8));
        assertEquals(String.valueOf(TaskRecords.MAX_KEPT_PAYLOAD_BYTES + 8), args.get(9));
    }

    @Test
    void createArgumentsOfATaskWithoutPayloadOrOptionsLeaveThemEmpty() throws Exception {
        assertEquals(
                List.of("", "", ""),
                TaskRecords.createArguments(task(null), null, null, null).subList(8, 11));
    }

    @Test
    void aRunningMoveNamesItsWorkerLast() {
        List<String> args = Transition.to(TaskStatus.RUNNING, CREATED)
                .attempts(1)
                .runBy("w-1")
                .arguments();
        assertEquals(Scripts.TRANSITION_ARGS, args.size());
        assertEquals("w-1", args.get(14));
        assertEquals("", Transition.to(TaskStatus.DEAD, CREATED).arguments().get(14));
    }

    @Test
    void aTaskErrorCarriesTheAttemptsStartAndReadsWithoutIt() {
        TaskError error = new TaskError("E", "boom", 2, CREATED.plusSeconds(5), "w-1", CREATED);
        assertEquals(error, TaskRecords.error(TaskRecords.toJson(error)));
        TaskError older = TaskRecords.error("{\"type\":\"E\",\"message\":\"boom\",\"attempt\":1,\"worker\":\"w\"}");
        assertNull(older.startedAt());
        assertEquals("w", older.worker());
    }
}
