package io.conveyor.worker.consume;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.TaskEnvelope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * One consumer span per attempt, a child of the {@code traceparent} the gateway put on the message, so the
 * request and the work it caused are one trace. With the SDK off the span is a no-op and only the log carries the
 * trace id.
 */
@ApplicationScoped
public class TaskTracing {

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    public TaskTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    Span start(TaskEnvelope task, int attempt, String traceparent) {
        Context parent = traceparent == null
                ? Context.root()
                : W3CTraceContextPropagator.getInstance()
                        .extract(Context.root(), Map.of("traceparent", traceparent), GETTER);
        return tracer.spanBuilder("conveyor.task " + task.type())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "rabbitmq")
                .setAttribute("messaging.message.id", task.id())
                .setAttribute("conveyor.task.type", task.type())
                .setAttribute("conveyor.task.attempt", attempt)
                .startSpan();
    }

    /** The trace id of a W3C traceparent ({@code 00-<trace id>-<span id>-<flags>}), or an empty string. */
    static String traceId(String traceparent) {
        return traceparent != null && traceparent.length() >= 35 && traceparent.charAt(2) == '-'
                ? traceparent.substring(3, 35)
                : "";
    }
}
