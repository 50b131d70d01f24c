package io.conveyor.amqp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.rabbitmq.client.AMQP;

import io.conveyor.model.DeadLetter;
import io.conveyor.model.Headers;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dead letter read back, typed, judged replayable and scrubbed for replay: the gateway's view of the format. */
class DeadLetterFormatTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final Set<String> KNOWN = Set.of("send_email", "fail");
    private static final String ENVELOPE =
            "{\"id\":\"t1\",\"type\":\"%s\",\"payload\":{},\"maxAttempts\":3,\"createdAt\":\"2026-01-01T00:00:00Z\"}";

    private static AMQP.BasicProperties props(String messageId, Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder()
                .messageId(messageId)
                .contentType("application/json")
                .headers(headers)
                .build();
    }

    /** Headers from alternating names and values; a null value leaves the header out. */
    private static Map<String, Object> headers(Object... namesAndValues) {
        Map<String, Object> headers = new HashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                headers.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return headers;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "x-task-type={0}, x-original-routing-key={1}, routing key={2} -> {3}")
    @CsvSource(
            nullValues = "-",
            value = {
                "send_email, conveyor.task.fail, fail,                   send_email",
                "-,          fail,               send_email,             fail",
                "-,          conveyor.task.fail, send_email,             fail",
                "-,          -,                  send_email,             send_email",
                "-,          -,                  conveyor.task.send_email, send_email",
                "-,          -,                  -,                      -",
                "teleport,   -,                  conveyor.task.noop,     teleport"
            })
    void derivesTheTaskTypeFromHeaderThenOriginalThenRoutingKey(
            String typeHeader, String originalKey, String routingKey, String expected) {
        AMQP.BasicProperties props =
                props("t1", headers(Headers.TASK_TYPE, typeHeader, Headers.ORIGINAL_ROUTING_KEY, originalKey));

        assertEquals(expected, DeadLetterFormat.typeOf(props, routingKey));
    }

    @Test
    void derivesTheTaskTypeOfAMessageWithoutHeaders() {
        assertEquals("fail", DeadLetterFormat.typeOf(props("t1", null), "conveyor.task.fail"));
    }

    static Stream<Arguments> reasons() {
        return Stream.of(
                Arguments.of(headers(Headers.DEAD_REASON, "exhausted"), "exhausted"),
                Arguments.of(
                        headers(Headers.DEAD_REASON, "poison", "x-death", List.of(), "x-first-death-reason", "expired"),
                        "poison"),
                Arguments.of(
                        headers("x-death", List.of(), "x-first-death-reason", "delivery_limit"),
                        "broker-delivery-limit"),
                Arguments.of(headers("x-death", List.of()), "broker-dead-lettered"),
                Arguments.of(headers(), null));
    }

    @ParameterizedTest(name = "{0} -> reason {1}")
    @MethodSource("reasons")
    void readsTheReasonFromTheWorkerOrElseTheBroker(Map<String, Object> headers, String expected) {
        assertEquals(
                expected,
                DeadLetterFormat.read(props("t1", headers), utf8("{}"), "fail").reason());
    }

    @Test
    void readsBackTheStoryAWorkerWrote() {
        AMQP.BasicProperties delivered = props("t1", headers(Headers.TASK_TYPE, "fail", Headers.ATTEMPT, 1));
        AMQP.BasicProperties written = DeadLetterFormat.write(
                delivered, "conveyor.task.fail", new IllegalStateException("boom"), "exhausted", 3, "w1", NOW);

        DeadLetter read = DeadLetterFormat.read(written, utf8("{}"), "fail");

        assertEquals(
                new DeadLetter(
                        "t1",
                        "fail",
                        "exhausted",
                        "java.lang.IllegalStateException",
                        "boom",
                        3,
                        NOW.toString(),
                        "w1",
                        null,
                        List.of()),
                read);
        assertEquals("conveyor.task.fail", written.getHeaders().get(Headers.ORIGINAL_ROUTING_KEY));
    }

    @ParameterizedTest(name = "attempt header {0} reads as {1}")
    @CsvSource(
            nullValues = "-",
            value = {"3, 3", "-, 1", "x, 1"})
    void readsTheAttemptsAsAnyNumberOrOne(String attempt, int expected) {
        Object header = attempt == null ? null : attempt.equals("x") ? "x" : (Object) Long.valueOf(attempt);

        assertEquals(
                expected,
                DeadLetterFormat.read(props("t1", headers(Headers.ATTEMPT, header)), utf8("{}"), "fail")
                        .attempts());
    }

    @ParameterizedTest(name = "message id [{0}] -> {1}")
    @CsvSource(
            nullValues = "-",
            value = {"t1, t1", "-, DIGEST", "'', DIGEST", "'  ', DIGEST"})
    void identifiesAMessageByItsIdElseByItsBody(String messageId, String expected) throws Exception {
        String digest = "sha256-"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8("not json")));

        String id = DeadLetterFormat.idOf(props(messageId, null), utf8("not json"));

        assertEquals(expected.equals("DIGEST") ? digest : expected, id);
    }

    @Test
    void theSameBodyWithoutIdHasTheSameIdOnEveryRead() {
        AMQP.BasicProperties props = props(null, headers(Headers.DEAD_REASON, "poison"));

        assertEquals(
                DeadLetterFormat.read(props, utf8("not json"), "fail").id(),
                DeadLetterFormat.read(props, utf8("not json"), "fail").id());
        assertFalse(DeadLetterFormat.read(props, utf8("not json"), "fail")
                .id()
                .equals(DeadLetterFormat.read(props, utf8("not json either"), "fail")
                        .id()));
    }

    static Stream<Arguments> replayability() {
        return Stream.of(
                Arguments.of("a task of a known type", "fail", ENVELOPE.formatted("fail"), null),
                Arguments.of(
                        "a type not in the catalogue",
                        "teleport",
                        ENVELOPE.formatted("teleport"),
                        "its type 'teleport' is not a task type of this deployment"),
                Arguments.of(
                        "an envelope of an unknown type on a known queue",
                        "fail",
                        ENVELOPE.formatted("teleport"),
                        "its type 'teleport' is not a task type of this deployment"),
                Arguments.of(
                        "a body that is not JSON",
                        "fail",
                        "this is not json",
                        "its body is not a task envelope (with id, type, payload and maxAttempts)"),
                Arguments.of(
                        "JSON that is not a whole envelope",
                        "fail",
                        "{\"id\":\"t1\",\"type\":\"fail\"}",
                        "its body is not a task envelope (with id, type, payload and maxAttempts)"),
                Arguments.of(
                        "an envelope with no attempts",
                        "fail",
                        ENVELOPE.formatted("fail").replace("\"maxAttempts\":3", "\"maxAttempts\":0"),
                        "its body is not a task envelope (with id, type, payload and maxAttempts)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replayability")
    void tellsWhyADeadLetterCannotRunAgain(String what, String typeHeader, String body, String why) {
        AMQP.BasicProperties props = props("t1", headers(Headers.TASK_TYPE, typeHeader));

        assertEquals(
                Optional.ofNullable(why),
                DeadLetterFormat.whyNotReplayable(props, utf8(body), "fail", KNOWN::contains));
    }

    @Test
    void aReplayCarriesNoStoryAndStartsAtAttemptOne() {
        Map<String, Object> dead = headers(
                Headers.TASK_TYPE,
                "fail",
                Headers.MAX_ATTEMPTS,
                3,
                Headers.TRACEPARENT,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "x-custom",
                "kept",
                Headers.ATTEMPT,
                3,
                Headers.ENQUEUED_AT,
                1L,
                Headers.ERROR_CLASS,
                "e",
                Headers.ERROR_MESSAGE,
                "m",
                Headers.ERROR_STACK,
                "s",
                Headers.FAILED_AT,
                "f",
                Headers.WORKER,
                "w",
                Headers.DEAD_REASON,
                "exhausted",
                Headers.ORIGINAL_ROUTING_KEY,
                "fail",
                Headers.RETRY_TIER,
                "5s",
                Headers.NOT_BEFORE,
                1L,
                "x-death",
                List.of(),
                "x-first-death-exchange",
                "",
                "x-first-death-queue",
                "conveyor.task.fail",
                "x-first-death-reason",
                "delivery_limit",
                "x-last-death-exchange",
                "",
                "x-last-death-queue",
                "conveyor.task.fail",
                "x-last-death-reason",
                "delivery_limit",
                "x-delivery-count",
                20);

        AMQP.BasicProperties replay = DeadLetterFormat.forReplay(props("t1", dead), NOW);

        assertEquals(
                Map.of(
                        Headers.TASK_TYPE,
                        "fail",
                        Headers.MAX_ATTEMPTS,
                        3,
                        Headers.TRACEPARENT,
                        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                        "x-custom",
                        "kept",
                        Headers.ATTEMPT,
                        1,
                        Headers.ENQUEUED_AT,
                        NOW.toEpochMilli()),
                replay.getHeaders());
        assertEquals("t1", replay.getMessageId());
        assertEquals("application/json", replay.getContentType());
        assertEquals(3, dead.get(Headers.ATTEMPT), "the dead letter's own headers are untouched");
    }

    @ParameterizedTest(name = "recorded {0} lists as {1}")
    @CsvSource(
            nullValues = "-",
            value = {"DEAD, DEAD", "QUEUED, QUEUED", "-, DEAD"})
    void aDeadLetterWithoutARecordListsAsDead(TaskStatus recorded, TaskStatus expected) {
        List<TaskError> failures = List.of(new TaskError("e", "m", 1, NOW, "w", null));
        DeadLetter read = DeadLetterFormat.read(props("t1", headers()), utf8("{}"), "fail");

        DeadLetter listed = read.withState(recorded, recorded == null ? null : failures);

        assertEquals(expected, listed.status());
        assertEquals(recorded == null ? List.of() : failures, listed.failures());
        assertTrue(listed.id().equals("t1") && listed.type().equals("fail"));
    }
}
