package io.conveyor.worker.deadletter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.conveyor.model.Headers;

/** The story a dead letter carries in its headers (DESIGN.md, "Messages"). Pure. */
public final class DeadLetterHeaders {

    /** Headers must fit in one AMQP frame next to everything else: keep the stack well under it. */
    static final int MAX_STACK_CHARS = 8_192;

    static final int MAX_MESSAGE_CHARS = 1_024;

    private DeadLetterHeaders() {}

    public static Map<String, Object> of(
            Map<String, Object> original,
            Throwable error,
            String reason,
            int attempt,
            String worker,
            String routingKey,
            Instant failedAt) {
        Map<String, Object> headers = new HashMap<>(original == null ? Map.of() : original);
        headers.remove(Headers.RETRY_TIER);
        headers.put(Headers.ATTEMPT, attempt);
        headers.put(Headers.ERROR_CLASS, error.getClass().getName());
        headers.put(Headers.ERROR_MESSAGE, truncate(String.valueOf(error.getMessage()), MAX_MESSAGE_CHARS));
        headers.put(Headers.ERROR_STACK, truncate(stackOf(error), MAX_STACK_CHARS));
        headers.put(Headers.FAILED_AT, failedAt.toString());
        headers.put(Headers.WORKER, worker);
        headers.put(Headers.DEAD_REASON, reason);
        headers.put(Headers.ORIGINAL_ROUTING_KEY, routingKey);
        return headers;
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 15) + "...[truncated]";
    }

    private static String stackOf(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
