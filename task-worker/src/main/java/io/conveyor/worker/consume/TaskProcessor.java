package io.conveyor.worker.consume;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;

import io.conveyor.amqp.DeadLetterFormat;
import io.conveyor.amqp.TaskMessages;
import io.conveyor.model.Headers;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.worker.deadletter.PoisonMessageException;
import io.conveyor.worker.events.OutcomeEvents;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.limit.Permit;
import io.conveyor.worker.limit.TaskLimits;
import io.conveyor.worker.metrics.WorkerMetrics;
import io.conveyor.worker.outcome.TaskOutcome;
import io.conveyor.worker.route.HandlerRegistry;
import io.conveyor.worker.state.AttemptProgress;
import io.conveyor.worker.state.TaskStateWriter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * Runs one delivery to its end, in named steps: decode it, let its headers and its type's limits ({@link TaskLimits})
 * admit it, record RUNNING, run the handler
 * under its timeout, then settle: a success, a retry or a dead letter. The message is acknowledged only after the
 * handler returned and its outcome was written (or the write given up), or after its successor was confirmed; if
 * that publish fails it is returned to its queue (see {@link Settlement}). Every log line of a delivery carries its
 * task id, type, attempt and trace id.
 */
@ApplicationScoped
public class TaskProcessor {

    private static final Logger LOG = Logger.getLogger(TaskProcessor.class);

    private final TaskDecoder decoder;
    private final TaskStateWriter state;
    private final HandlerTimeouts timeouts;
    private final Settlement settlement;
    private final WorkerMetrics metrics;
    private final TaskTracing tracing;
    private final TaskLimits limits;
    private final OutcomeEvents events;
    private final ExecutionLog executions;

    public TaskProcessor(
            TaskDecoder decoder,
            TaskStateWriter state,
            HandlerTimeouts timeouts,
            Settlement settlement,
            WorkerMetrics metrics,
            TaskTracing tracing,
            TaskLimits limits,
            OutcomeEvents events,
            ExecutionLog executions) {
        this.decoder = decoder;
        this.state = state;
        this.timeouts = timeouts;
        this.settlement = settlement;
        this.metrics = metrics;
        this.tracing = tracing;
        this.limits = limits;
        this.events = events;
        this.executions = executions;
    }

    void process(Acknowledger acks, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
        int attempt = TaskMessages.intHeader(props, Headers.ATTEMPT, 1);
        Delivery delivery = new Delivery(acks, envelope, props, body, attempt, typeHint(envelope, props));
        try {
            TaskEnvelope task = TaskDecoder.parse(body);
            String traceparent = TaskMessages.stringHeader(props, Headers.TRACEPARENT);
            MDC.put("taskId", task.id());
            MDC.put("type", task.type());
            MDC.put("attempt", attempt);
            MDC.put("traceId", TaskTracing.traceId(traceparent));
            HandlerRegistry.Route route = decoder.route(task);
            Admission admission = Admission.of(props, System.currentTimeMillis());
            if (admission instanceof Admission.WaitLonger wait) {
                settlement.redelay(delivery, task, wait.hop());
                return;
            }
            // Bound only once due, so a payload that does not bind is dead-lettered as poison, even in a crash loop.
            Record payload = decoder.bind(task, route);
            if (admission instanceof Admission.CrashLoop loop) {
                settlement.crashLooped(delivery, task, loop.deliveries());
                return;
            }
            // A type's limits across all workers: over them, the task goes back to wait, the same attempt.
            Permit permit = limits.admit(task.id(), task.type(), attempt);
            if (permit.refused()) {
                settlement.redelay(delivery, task, permit.hop());
                return;
            }
            try (permit) {
                Instant started = Instant.now();
                Optional<TaskStateWriter.Refusal> refused = state.recordRunning(task, attempt, started);
                if (refused.isPresent()) {
                    permit.unused();
                    settlement.skipped(delivery, task, refused.get());
                    return;
                }
                events.running(task, attempt, started);
                run(delivery, task, route, payload, traceparent, started);
            }
        } catch (PoisonMessageException poison) {
            settlement.poisoned(delivery, poison);
        } catch (Exception e) {
            LOG.errorf(e, "Could not settle a %s delivery; returning it to its queue", delivery.typeHint());
            settlement.returnToQueue(delivery);
        } finally {
            MDC.clear();
        }
    }

    /** Runs the handler in its span and under its timeout, then settles the attempt it was (started at {@code at}). */
    private void run(
            Delivery delivery,
            TaskEnvelope task,
            HandlerRegistry.Route route,
            Record payload,
            String traceparent,
            Instant at) {
        int attempt = delivery.attempt();
        AttemptProgress progress = state.progress(task.id(), attempt);
        TaskContext context =
                new TaskContext(task.id(), task.type(), attempt, task.maxAttempts(), traceparent, progress::report);
        long enqueuedAt = TaskMessages.longHeader(delivery.props(), Headers.ENQUEUED_AT);
        metrics.started(
                task.type(), enqueuedAt == 0 ? null : Duration.ofMillis(System.currentTimeMillis() - enqueuedAt));
        Object result;
        long started = System.nanoTime();
        Span span = tracing.start(task, attempt, traceparent);
        try (Scope ignored = span.makeCurrent()) {
            result = timeouts.run(route.handler(), payload, context, route.timeout());
            metrics.handled(task.type(), true, Duration.ofNanos(System.nanoTime() - started));
        } catch (Exception failure) {
            metrics.handled(task.type(), false, Duration.ofNanos(System.nanoTime() - started));
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
            // The span's scope is closed by now, and with it the trace id in the MDC: the retry and dead-letter
            // lines need it back.
            MDC.put("traceId", TaskTracing.traceId(traceparent));
            if (!timeouts.abandoning()) {
                settlement.failed(delivery, task, failure, at);
            }
            return;
        } finally {
            // A thread the handler left behind may still report: the attempt is over, its reports are dropped.
            progress.close();
            span.end();
            // Closing the span's scope clears the trace id from the MDC; the settling lines still need it.
            MDC.put("traceId", TaskTracing.traceId(traceparent));
        }
        LOG.debugf("Task %s (%s) succeeded on attempt %d", task.id(), task.type(), attempt);
        // The side log (off by default) before the outcome's write and ack: a run repeated after a crash shows twice.
        executions.succeeded(task.id(), attempt);
        settlement.succeeded(delivery, TaskOutcome.succeeded(task, attempt, result));
    }

    /** Stops settling failures: on a forced shutdown, interrupted handlers leave their messages untouched. */
    void abandonInFlight() {
        timeouts.abandon();
    }

    /** Waits for the acks of successes whose state write is in flight; false if some were still due. */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        return settlement.awaitSettled(timeout);
    }

    private static String typeHint(Envelope delivery, AMQP.BasicProperties props) {
        return DeadLetterFormat.typeOf(props, delivery.getRoutingKey());
    }
}
