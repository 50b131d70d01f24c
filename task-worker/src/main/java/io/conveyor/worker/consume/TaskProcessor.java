package io.conveyor.worker.consume;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;

import io.conveyor.amqp.DeadLetterFormat;
import io.conveyor.amqp.TaskMessages;
import io.conveyor.model.Delays;
import io.conveyor.model.Headers;
import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.worker.deadletter.CrashLoopException;
import io.conveyor.worker.deadletter.PoisonMessageException;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.metrics.WorkerMetrics;
import io.conveyor.worker.retry.FailurePolicy;
import io.conveyor.worker.retry.TaskTimeoutException;
import io.conveyor.worker.route.HandlerRegistry;
import io.conveyor.worker.state.TaskStateWriter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * Runs one delivery to its end: parse, route, run the handler under its timeout, then settle. The original
 * message is acknowledged only after the handler returned and its outcome was written to Redis (or the write given
 * up), or after its retry or dead letter was confirmed by the broker; if that publish fails the message is returned
 * to its queue instead. Never acks on a closed channel. A success does not hold its handler thread: the thread takes
 * its next task while the SUCCEEDED write is on its way, and the ack follows the write's answer.
 */
@ApplicationScoped
public class TaskProcessor {

    private static final Logger LOG = Logger.getLogger(TaskProcessor.class);
    /** Set by quorum queues on a redelivery: how often this message was returned (crash, nack, closed channel). */
    static final String DELIVERY_COUNT = "x-delivery-count";
    /** How often the watchdog looks for handlers past their timeout: the precision of every timeout. */
    static final Duration WATCHDOG_PERIOD = Duration.ofMillis(50);

    private final HandlerRegistry registry;
    private final Outcomes outcomes;
    private final Validator validator;
    private final Event<TaskOutcome> outcomeEvents;
    private final TaskStateWriter state;
    private final WorkerMetrics metrics;
    private final TaskTracing tracing;
    private final AtomicInteger running = new AtomicInteger();
    /** Successes whose state write is in flight: their acks are still to come. */
    private final AtomicInteger settling = new AtomicInteger();
    /** The deadlines of the handlers running now, checked by one watchdog thread. */
    private final Set<Deadline> deadlines = ConcurrentHashMap.newKeySet();

    private final ScheduledThreadPoolExecutor watchdog = watchdog();
    /** Set on a forced shutdown: interrupted handlers then leave their messages for redelivery, untouched. */
    private volatile boolean abandoning;

    public TaskProcessor(
            HandlerRegistry registry,
            Outcomes outcomes,
            Validator validator,
            Event<TaskOutcome> outcomeEvents,
            TaskStateWriter state,
            WorkerMetrics metrics,
            TaskTracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.registry = registry;
        this.outcomes = outcomes;
        this.validator = validator;
        this.outcomeEvents = outcomeEvents;
        this.state = state;
    }

    /** Handlers running right now. */
    public int running() {
        return running.get();
    }

    void abandonInFlight() {
        abandoning = true;
    }

    void process(Acknowledger acks, Envelope delivery, AMQP.BasicProperties props, byte[] body) {
        int attempt = TaskMessages.intHeader(props, Headers.ATTEMPT, 1);
        String typeHint = typeHint(delivery, props);
        try {
            TaskEnvelope task = parse(body);
            String traceparent = TaskMessages.stringHeader(props, Headers.TRACEPARENT);
            MDC.put("taskId", task.id());
            MDC.put("type", task.type());
            MDC.put("attempt", attempt);
            MDC.put("traceId", TaskTracing.traceId(traceparent));
            HandlerRegistry.Route route = registry.route(task.type())
                    .orElseThrow(() -> new PoisonMessageException(
                            "No handler for task type '" + task.type() + "' in this worker"));
            if (waitsLonger(acks, delivery, props, body, task)) {
                return;
            }
            Record payload = bind(task, route);
            if (crashLoops(acks, delivery, props, body, task, attempt)
                    || settledBefore(acks, delivery, task, attempt)) {
                return;
            }
            run(acks, delivery, props, body, task, attempt, route, payload, traceparent);
        } catch (PoisonMessageException poison) {
            LOG.warnf("Dead-lettering a poison message (%s): %s", typeHint, poison.getMessage());
            settle(acks, delivery, () -> {
                outcomes.deadLetter(delivery.getRoutingKey(), props, body, poison, "poison", attempt);
                finish(new TaskOutcome(
                        props.getMessageId(), typeHint, attempt, TaskStatus.DEAD, null, poison, null, null));
            });
        } catch (Exception e) {
            LOG.errorf(e, "Could not settle a %s delivery; returning it to its queue", typeHint);
            acks.nack(delivery.getDeliveryTag());
        } finally {
            MDC.clear();
        }
    }

    /** A delayed task that arrived before its time goes back to wait; true when it did. */
    private boolean waitsLonger(
            Acknowledger acks, Envelope delivery, AMQP.BasicProperties props, byte[] body, TaskEnvelope task)
            throws Exception {
        long early = TaskMessages.longHeader(props, Headers.NOT_BEFORE) - System.currentTimeMillis();
        if (early <= 0) {
            return false;
        }
        outcomes.redelay(task.type(), props, body, Delays.hopFor(Duration.ofMillis(early)));
        acks.ack(delivery.getDeliveryTag());
        return true;
    }

    /** A message redelivered too often is dead-lettered instead of run again; true when it was. */
    private boolean crashLoops(
            Acknowledger acks,
            Envelope delivery,
            AMQP.BasicProperties props,
            byte[] body,
            TaskEnvelope task,
            int attempt) {
        int deliveries = TaskMessages.intHeader(props, DELIVERY_COUNT, 0);
        if (deliveries < Topology.WORKER_DELIVERY_GUARD) {
            return false;
        }
        CrashLoopException loop = new CrashLoopException(deliveries);
        LOG.warnf("Dead-lettering task %s (%s): %s", task.id(), task.type(), loop.getMessage());
        settle(acks, delivery, () -> {
            outcomes.deadLetter(delivery.getRoutingKey(), props, body, loop, "delivery-limit", attempt);
            finish(new TaskOutcome(task.id(), task.type(), attempt, TaskStatus.DEAD, null, loop, null, task));
        });
        return true;
    }

    /** Records RUNNING; a task already finished, dead or cancelled is acknowledged without running. True then. */
    private boolean settledBefore(Acknowledger acks, Envelope delivery, TaskEnvelope task, int attempt) {
        Optional<TaskStatus> skip = state.start(task, attempt);
        if (skip.isEmpty()) {
            return false;
        }
        LOG.infof("Task %s (%s) is %s; acknowledging without running it", task.id(), task.type(), skip.get());
        acks.ack(delivery.getDeliveryTag());
        return true;
    }

    /** Runs the handler in its span and under its timeout, then settles: ack on success, retry or dead letter. */
    private void run(
            Acknowledger acks,
            Envelope delivery,
            AMQP.BasicProperties props,
            byte[] body,
            TaskEnvelope task,
            int attempt,
            HandlerRegistry.Route route,
            Record payload,
            String traceparent) {
        TaskContext context = new TaskContext(task.id(), task.type(), attempt, task.maxAttempts(), traceparent);
        long enqueuedAt = TaskMessages.longHeader(props, Headers.ENQUEUED_AT);
        metrics.started(
                task.type(), enqueuedAt == 0 ? null : Duration.ofMillis(System.currentTimeMillis() - enqueuedAt));
        Object result;
        long started = System.nanoTime();
        Span span = tracing.start(task, attempt, traceparent);
        try (Scope ignored = span.makeCurrent()) {
            result = runWithTimeout(route, payload, context);
            metrics.handled(task.type(), true, Duration.ofNanos(System.nanoTime() - started));
        } catch (Exception failure) {
            metrics.handled(task.type(), false, Duration.ofNanos(System.nanoTime() - started));
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
            // The span's scope is closed by now, and with it the trace id in the MDC: the retry and dead-letter
            // lines need it back.
            MDC.put("traceId", TaskTracing.traceId(traceparent));
            if (!abandoning) {
                settleFailure(acks, delivery, props, body, task, attempt, failure);
            }
            return;
        } finally {
            span.end();
            // Closing the span's scope clears the trace id from the MDC; the settling lines still need it.
            MDC.put("traceId", TaskTracing.traceId(traceparent));
        }
        LOG.debugf("Task %s (%s) succeeded on attempt %d", task.id(), task.type(), attempt);
        // This thread goes on to its next task: the ack follows the SUCCEEDED write when Redis answers, together with
        // the other successes of the same batch.
        TaskOutcome success =
                new TaskOutcome(task.id(), task.type(), attempt, TaskStatus.SUCCEEDED, result, null, null, task);
        settling.incrementAndGet();
        state.record(success).whenComplete((recorded, never) -> {
            try {
                outcomeEvents.fire(success);
            } catch (RuntimeException e) {
                LOG.errorf(e, "An outcome observer failed for task %s", success.taskId());
            } finally {
                acks.ackSoon(delivery.getDeliveryTag());
                settled();
            }
        });
    }

    /** Records a failure's outcome and tells the observers, before the caller acknowledges the original message. */
    private void finish(TaskOutcome outcome) {
        state.record(outcome).join();
        outcomeEvents.fire(outcome);
    }

    private void settled() {
        if (settling.decrementAndGet() == 0) {
            synchronized (settling) {
                settling.notifyAll();
            }
        }
    }

    /**
     * Waits until every success whose state write is in flight has been acknowledged; false if some still were not
     * after {@code timeout} (their messages then go back to the queue when the channel closes, and run again).
     */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (settling) {
            while (settling.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(settling, left);
            }
        }
        return true;
    }

    private void settleFailure(
            Acknowledger acks,
            Envelope delivery,
            AMQP.BasicProperties props,
            byte[] body,
            TaskEnvelope task,
            int attempt,
            Exception failure) {
        FailurePolicy.Decision decision = FailurePolicy.decide(failure, attempt, task.maxAttempts());
        if (decision == FailurePolicy.Decision.RETRY) {
            settle(acks, delivery, () -> {
                Duration tier = outcomes.retry(task.type(), props, body, attempt);
                finish(new TaskOutcome(
                        task.id(),
                        task.type(),
                        attempt,
                        TaskStatus.RETRY_SCHEDULED,
                        null,
                        failure,
                        Instant.now().plus(tier),
                        task));
                LOG.warnf(
                        "Task %s (%s) attempt %d/%d failed (%s); retrying after %s",
                        task.id(), task.type(), attempt, task.maxAttempts(), failure, tier);
            });
        } else {
            settle(acks, delivery, () -> {
                outcomes.deadLetter(delivery.getRoutingKey(), props, body, failure, decision.reason(), attempt);
                finish(new TaskOutcome(task.id(), task.type(), attempt, TaskStatus.DEAD, null, failure, null, task));
                LOG.errorf(
                        "Task %s (%s) dead-lettered after attempt %d/%d (%s): %s",
                        task.id(), task.type(), attempt, task.maxAttempts(), decision.reason(), failure);
            });
        }
    }

    private Object runWithTimeout(HandlerRegistry.Route route, Record payload, TaskContext context) throws Exception {
        Duration timeout = route.timeout();
        Deadline deadline = new Deadline(Thread.currentThread(), System.nanoTime() + timeout.toNanos());
        deadlines.add(deadline);
        running.incrementAndGet();
        try {
            return route.handler().handle(payload, context);
        } catch (Exception e) {
            if (deadline.expired() && !abandoning) {
                throw new TaskTimeoutException(timeout, e);
            }
            throw e;
        } finally {
            running.decrementAndGet();
            deadlines.remove(deadline);
            deadline.finish();
            Thread.interrupted();
        }
    }

    /**
     * Interrupts the handler's thread when its time is up, but never after the handler finished: expiring and
     * finishing exclude each other, so a late interrupt cannot hit the thread's next task.
     */
    private static final class Deadline {
        private final Thread runner;
        private final long dueNanos;
        private boolean expired;
        private boolean finished;

        Deadline(Thread runner, long dueNanos) {
            this.runner = runner;
            this.dueNanos = dueNanos;
        }

        boolean due(long nowNanos) {
            return nowNanos - dueNanos >= 0;
        }

        /** Interrupts the handler once; later checks of the same deadline do nothing. */
        synchronized void expire() {
            if (!finished && !expired) {
                expired = true;
                runner.interrupt();
            }
        }

        synchronized boolean expired() {
            return expired;
        }

        synchronized void finish() {
            finished = true;
        }
    }

    private Record bind(TaskEnvelope task, HandlerRegistry.Route route) {
        Record payload;
        try {
            payload = Json.mapper().treeToValue(task.payload(), route.type().payloadClass());
        } catch (IOException | IllegalArgumentException e) {
            throw new PoisonMessageException(
                    "Payload does not bind to " + route.type().payloadClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
        Set<ConstraintViolation<Record>> violations = validator.validate(payload);
        if (!violations.isEmpty()) {
            throw new PoisonMessageException("Invalid " + task.type() + " payload: "
                    + violations.stream()
                            .map(v -> v.getPropertyPath() + " " + v.getMessage())
                            .sorted()
                            .collect(Collectors.joining("; ")));
        }
        return payload;
    }

    private static TaskEnvelope parse(byte[] body) {
        TaskEnvelope task;
        try {
            task = Json.mapper().readValue(body, TaskEnvelope.class);
        } catch (IOException e) {
            throw new PoisonMessageException("Body is not a task envelope: " + e.getMessage(), e);
        }
        if (task == null
                || task.id() == null
                || task.type() == null
                || task.payload() == null
                || task.maxAttempts() < 1) {
            throw new PoisonMessageException("Task envelope lacks id, type, payload or maxAttempts");
        }
        return task;
    }

    private interface Settlement {
        void run() throws Exception;
    }

    /** Publishes the successor, then acks; a failed publish returns the message to its queue. */
    private void settle(Acknowledger acks, Envelope delivery, Settlement successor) {
        try {
            successor.run();
        } catch (Exception e) {
            LOG.errorf(
                    "Could not publish a retry or dead letter (%s); returning the message to its queue", e.toString());
            acks.nack(delivery.getDeliveryTag());
            return;
        }
        acks.ack(delivery.getDeliveryTag());
    }

    private static String typeHint(Envelope delivery, AMQP.BasicProperties props) {
        return DeadLetterFormat.typeOf(props, delivery.getRoutingKey());
    }

    /**
     * One thread checks every running handler's deadline a few times a second. A timer entry per task cost a
     * wake-up of the timer thread per task (scheduling it, then cancelling it when the handler returned in time);
     * the watchdog's cost does not grow with the task rate.
     */
    private ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "conveyor-task-timeouts");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleAtFixedRate(
                () -> {
                    // An exception would end the periodic run, and with it every timeout: none may escape.
                    try {
                        long now = System.nanoTime();
                        for (Deadline deadline : deadlines) {
                            if (deadline.due(now)) {
                                deadline.expire();
                            }
                        }
                    } catch (RuntimeException e) {
                        LOG.errorf(
                                e,
                                "Checking handler timeouts failed; checking again in %d ms",
                                WATCHDOG_PERIOD.toMillis());
                    }
                },
                WATCHDOG_PERIOD.toMillis(),
                WATCHDOG_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        return watchdog;
    }

    @PreDestroy
    void close() {
        watchdog.shutdownNow();
    }
}
