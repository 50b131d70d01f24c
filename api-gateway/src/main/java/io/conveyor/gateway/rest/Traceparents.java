package io.conveyor.gateway.rest;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.conveyor.model.Headers;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

/**
 * The W3C {@code traceparent} a task message carries. With tracing on it is the request's server span, so the
 * worker's span joins the same trace; with tracing off it is the caller's valid header, or a new trace.
 */
final class Traceparents {

    private static final Pattern VALID = Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");

    private Traceparents() {}

    static String current(String incoming) {
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        String fromSpan = carrier.get(Headers.TRACEPARENT);
        if (fromSpan != null) {
            return fromSpan;
        }
        if (incoming != null && VALID.matcher(incoming).matches()) {
            return incoming;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("00-%016x%016x-%016x-01", random.nextLong() | 1, random.nextLong(), random.nextLong() | 1);
    }
}
