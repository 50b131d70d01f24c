package io.conveyor.model;

/** AMQP header names on task messages and dead letters. */
public final class Headers {

    public static final String TASK_TYPE = "x-task-type";
    /** 1-based attempt number of this delivery; counted by Conveyor, never derived from {@code x-death}. */
    public static final String ATTEMPT = "x-attempt";

    public static final String MAX_ATTEMPTS = "x-max-attempts";
    public static final String TRACEPARENT = "traceparent";
    /**
     * Which retry tier queue a delayed message waits in, matched by the {@code conveyor.retry} headers exchange.
     * Deliberately without the {@code x-} prefix: a headers exchange ignores such headers when matching, which
     * would copy every retry into every tier.
     */
    public static final String RETRY_TIER = "conveyor-retry-tier";
    /** Epoch milliseconds before which a delayed task must not run; the worker re-delays an early arrival. */
    public static final String NOT_BEFORE = "x-not-before";
    /** Epoch milliseconds at which the message (re-)entered its task queue; queue latency counts from it. */
    public static final String ENQUEUED_AT = "x-enqueued-at";

    public static final String ERROR_CLASS = "x-error-class";
    public static final String ERROR_MESSAGE = "x-error-message";
    public static final String ERROR_STACK = "x-error-stack";
    public static final String FAILED_AT = "x-failed-at";
    public static final String WORKER = "x-worker";
    /** Why a task was dead-lettered: {@code exhausted}, {@code non-retryable}, {@code poison} or {@code delivery-limit}. */
    public static final String DEAD_REASON = "x-dead-reason";

    public static final String ORIGINAL_ROUTING_KEY = "x-original-routing-key";

    /** Set by quorum queues on a redelivery: how often this message was returned (crash, nack, closed channel). */
    public static final String DELIVERY_COUNT = "x-delivery-count";

    private Headers() {}
}
