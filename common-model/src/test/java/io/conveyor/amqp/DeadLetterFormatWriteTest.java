package io.conveyor.amqp;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.rabbitmq.client.AMQP;

import io.conveyor.model.Headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The story a worker writes into a dead letter's headers. */
class DeadLetterFormatWriteTest {

    private static final Instant FAILED_AT = Instant.parse("2025-03-04T05:06:07.890Z");
    private static final String TRUNCATED = "[truncated]";

    /** Replaces the (JUnit- and surefire-deep) stack by two frames, so its printed length is known to be small. */
    private static <T extends Throwable> T shortStack(T error) {
        error.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("io.conveyor.example.Mailer", "send", "Mailer.java", 42),
            new StackTraceElement("io.conveyor.example.Handler", "handle", "Handler.java", 7)
        });
        return error;
    }

    /** A handler's exception with a cause, as {@code NonRetryableException} is thrown in the worker. */
    static final class NonRetryableException extends RuntimeException {
        NonRetryableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static Map<String, Object> deadLetter(Map<String, Object> original, Throwable error) {
        return write(original, error, "exhausted", 3, "worker-1@host", "send_email");
    }

    private static Map<String, Object> write(
            Map<String, Object> original, Throwable error, String reason, int attempt, String worker, String key) {
        AMQP.BasicProperties delivered = new AMQP.BasicProperties.Builder()
                .messageId("task-1")
                .headers(original)
                .build();
        AMQP.BasicProperties written =
                DeadLetterFormat.write(delivered, key, error, reason, attempt, worker, FAILED_AT);
        assertEquals("task-1", written.getMessageId(), "the other properties are kept");
        return written.getHeaders();
    }

    @Test
    void keepsTheOriginalHeadersAndDropsTheRetryTier() {
        Map<String, Object> original = Map.of(
                Headers.TASK_TYPE,
                "send_email",
                Headers.MAX_ATTEMPTS,
                3,
                Headers.TRACEPARENT,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                Headers.NOT_BEFORE,
                1_700_000_000_000L,
                Headers.RETRY_TIER,
                "5s",
                Headers.ATTEMPT,
                2,
                "x-custom",
                "kept");

        Map<String, Object> headers = deadLetter(original, new IllegalStateException("boom"));

        assertEquals("send_email", headers.get(Headers.TASK_TYPE));
        assertEquals(3, headers.get(Headers.MAX_ATTEMPTS));
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", headers.get(Headers.TRACEPARENT));
        assertEquals(1_700_000_000_000L, headers.get(Headers.NOT_BEFORE));
        assertEquals("kept", headers.get("x-custom"));
        assertFalse(headers.containsKey(Headers.RETRY_TIER), headers::toString);
        assertEquals(3, headers.get(Headers.ATTEMPT), "the attempt that failed replaces the one delivered");
    }

    @Test
    void leavesTheOriginalMapUntouched() {
        Map<String, Object> original = new HashMap<>(Map.of(Headers.RETRY_TIER, "1s", Headers.ATTEMPT, 1));

        deadLetter(original, new IllegalStateException("boom"));

        assertEquals(Map.of(Headers.RETRY_TIER, "1s", Headers.ATTEMPT, 1), original);
    }

    @Test
    void setsTheStoryOfTheFailure() {
        NonRetryableException error = shortStack(new NonRetryableException(
                "mailbox does not exist", shortStack(new IllegalArgumentException("550 5.1.1"))));

        Map<String, Object> headers = write(Map.of(), error, "non-retryable", 2, "worker-7@box", "send_email");

        assertEquals(2, headers.get(Headers.ATTEMPT));
        assertEquals(NonRetryableException.class.getName(), headers.get(Headers.ERROR_CLASS));
        assertEquals("mailbox does not exist", headers.get(Headers.ERROR_MESSAGE));
        assertEquals("2025-03-04T05:06:07.890Z", headers.get(Headers.FAILED_AT));
        assertEquals("worker-7@box", headers.get(Headers.WORKER));
        assertEquals("non-retryable", headers.get(Headers.DEAD_REASON));
        assertEquals("send_email", headers.get(Headers.ORIGINAL_ROUTING_KEY));

        String stack = (String) headers.get(Headers.ERROR_STACK);
        assertTrue(stack.startsWith(NonRetryableException.class.getName() + ": mailbox does not exist"), stack);
        assertTrue(stack.contains("\tat io.conveyor.example.Mailer.send(Mailer.java:42)"), stack);
        assertTrue(stack.contains("Caused by: java.lang.IllegalArgumentException: 550 5.1.1"), stack);
        assertFalse(stack.contains(TRUNCATED), "a short stack is not truncated");
    }

    @Test
    void aRealStackLongerThanTheLimitKeepsItsTop() {
        // Thrown under JUnit and surefire, the stack of two exceptions is longer than the limit.
        Throwable error = new IllegalStateException("deep", new IllegalStateException("deeper"));

        String stack = (String) deadLetter(Map.of(), error).get(Headers.ERROR_STACK);

        assertTrue(stack.startsWith("java.lang.IllegalStateException: deep"), stack.substring(0, 80));
        assertTrue(stack.length() <= DeadLetterFormat.MAX_STACK_CHARS, "length " + stack.length());
    }

    @Test
    void worksWithoutOriginalHeaders() {
        Map<String, Object> headers = deadLetter(null, shortStack(new IllegalStateException("boom")));

        assertEquals(
                Map.of(
                        Headers.ATTEMPT,
                        3,
                        Headers.ERROR_CLASS,
                        IllegalStateException.class.getName(),
                        Headers.ERROR_MESSAGE,
                        "boom",
                        Headers.ERROR_STACK,
                        headers.get(Headers.ERROR_STACK),
                        Headers.FAILED_AT,
                        FAILED_AT.toString(),
                        Headers.WORKER,
                        "worker-1@host",
                        Headers.DEAD_REASON,
                        "exhausted",
                        Headers.ORIGINAL_ROUTING_KEY,
                        "send_email"),
                headers);
        assertTrue(((String) headers.get(Headers.ERROR_STACK)).startsWith("java.lang.IllegalStateException: boom"));
    }

    @Test
    void aNullMessageIsWrittenAsNull() {
        Map<String, Object> headers = deadLetter(Map.of(), new NullPointerException());

        assertEquals("null", headers.get(Headers.ERROR_MESSAGE));
    }

    @ParameterizedTest(name = "a message of MAX_MESSAGE_CHARS {0} chars is kept whole")
    @ValueSource(ints = {-1024, -1, 0})
    void aMessageUpToTheLimitIsKeptWhole(int offsetFromLimit) {
        String message = "m".repeat(DeadLetterFormat.MAX_MESSAGE_CHARS + offsetFromLimit);

        assertEquals(
                message,
                deadLetter(Map.of(), new IllegalStateException(message)).get(Headers.ERROR_MESSAGE));
    }

    @ParameterizedTest(name = "a message of MAX_MESSAGE_CHARS + {0} chars is truncated")
    @ValueSource(ints = {1, 2, 1000, 1_000_000})
    void aLongerMessageIsTruncatedToTheLimit(int overLimit) {
        String message = "0123456789"
                .repeat((DeadLetterFormat.MAX_MESSAGE_CHARS + overLimit) / 10 + 1)
                .substring(0, DeadLetterFormat.MAX_MESSAGE_CHARS + overLimit);

        String written = (String)
                deadLetter(Map.of(), new IllegalStateException(message)).get(Headers.ERROR_MESSAGE);

        assertTrue(written.length() <= DeadLetterFormat.MAX_MESSAGE_CHARS, "length " + written.length());
        assertTrue(written.endsWith(TRUNCATED), written.substring(Math.max(0, written.length() - 40)));
        assertTrue(
                written.startsWith(message.substring(0, DeadLetterFormat.MAX_MESSAGE_CHARS - 40)),
                "keeps the start of the message");
    }

    @Test
    void aHugeStackIsTruncatedToTheLimit() {
        Throwable error = new IllegalStateException("x".repeat(50_000));
        for (int i = 0; i < 50; i++) {
            error = new RuntimeException("wrapper " + i, error);
        }

        Map<String, Object> headers = deadLetter(Map.of(), error);

        String stack = (String) headers.get(Headers.ERROR_STACK);
        assertTrue(stack.length() <= DeadLetterFormat.MAX_STACK_CHARS, "length " + stack.length());
        assertTrue(stack.endsWith(TRUNCATED), stack.substring(stack.length() - 40));
        assertTrue(stack.startsWith("java.lang.RuntimeException: wrapper 49"), stack.substring(0, 80));
        String message = (String) headers.get(Headers.ERROR_MESSAGE);
        assertEquals("wrapper 49", message);
    }

    @Test
    void aHugeMessageTruncatesBothMessageAndStack() {
        Map<String, Object> headers = deadLetter(Map.of(), new IllegalStateException("y".repeat(100_000)));

        String message = (String) headers.get(Headers.ERROR_MESSAGE);
        String stack = (String) headers.get(Headers.ERROR_STACK);
        assertTrue(
                message.length() <= DeadLetterFormat.MAX_MESSAGE_CHARS && message.endsWith(TRUNCATED),
                "message length " + message.length());
        assertTrue(
                stack.length() <= DeadLetterFormat.MAX_STACK_CHARS && stack.endsWith(TRUNCATED),
                "stack length " + stack.length());
    }
}
