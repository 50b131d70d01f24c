package io.conveyor.amqp;

import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;

import io.conveyor.model.Headers;
import io.conveyor.model.TaskEnvelope;

/** Builds the AMQP properties of a task message (docs/architecture.md, "Messages"; README.md, "Broker topology"). */
public final class TaskMessages {

    public static final String CONTENT_TYPE = "application/json";
    private static final int PERSISTENT = 2;

    private TaskMessages() {}

    /** Properties for {@code attempt} of the task; {@code extraHeaders} may add a traceparent, retry tier, errors. */
    public static AMQP.BasicProperties properties(
            TaskEnvelope task, int attempt, Integer priority, Map<String, Object> extraHeaders) {
        Map<String, Object> headers = new HashMap<>(extraHeaders);
        headers.put(Headers.TASK_TYPE, task.type());
        headers.put(Headers.ATTEMPT, attempt);
        headers.put(Headers.MAX_ATTEMPTS, task.maxAttempts());
        headers.putIfAbsent(Headers.ENQUEUED_AT, task.createdAt().toEpochMilli());
        return new AMQP.BasicProperties.Builder()
                .contentType(CONTENT_TYPE)
                .deliveryMode(PERSISTENT)
                .messageId(task.id())
                .timestamp(Date.from(task.createdAt()))
                .type(task.type())
                .priority(priority)
                .headers(headers)
                .build();
    }

    /** Reads an integer header that may arrive as any AMQP numeric type; {@code fallback} if absent or not a number. */
    public static int intHeader(AMQP.BasicProperties props, String name, int fallback) {
        Map<String, Object> headers = props.getHeaders();
        Object value = headers == null ? null : headers.get(name);
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value != null) {
            try {
                return Integer.parseInt(value.toString());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /** Reads a long header (epoch milliseconds and the like); 0 if absent or not a number. */
    public static long longHeader(AMQP.BasicProperties props, String name) {
        Object value = props.getHeaders() == null ? null : props.getHeaders().get(name);
        return value instanceof Number n ? n.longValue() : 0;
    }

    /** A header as text, or null if absent. */
    public static String stringHeader(AMQP.BasicProperties props, String name) {
        Object value = props.getHeaders() == null ? null : props.getHeaders().get(name);
        return value == null ? null : value.toString();
    }
}
