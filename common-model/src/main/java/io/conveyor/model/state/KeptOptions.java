package io.conveyor.model.state;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.conveyor.model.TaskOptions;

/**
 * The options a task record keeps for the operator console (JSON field {@code options}): those it runs with, and
 * the trace id of the request that submitted it, so the console can name the trace to look up. Null fields are left
 * out of the JSON.
 */
public record KeptOptions(
        Integer maxAttempts, Duration delay, Integer priority, String idempotencyKey, String traceId) {

    /** A W3C traceparent: version, trace id, parent id, flags. */
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    /** {@code options} (none: null) with the trace id of {@code traceparent} (none, or not one: null). */
    public static KeptOptions of(TaskOptions options, String traceparent) {
        String traceId = null;
        if (traceparent != null) {
            Matcher m = TRACEPARENT.matcher(traceparent);
            traceId = m.matches() ? m.group(1) : null;
        }
        return options == null
                ? new KeptOptions(null, null, null, null, traceId)
                : new KeptOptions(
                        options.maxAttempts(), options.delay(), options.priority(), options.idempotencyKey(), traceId);
    }
}
