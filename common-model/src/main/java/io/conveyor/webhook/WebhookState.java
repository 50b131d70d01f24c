package io.conveyor.webhook;

import java.time.Instant;
import java.util.List;

import io.conveyor.model.TaskCallback;
import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;

/**
 * The arguments of {@code webhook.lua} ({@link Scripts#WEBHOOK}), which records on the task's hash where its webhook
 * stands: {@code callbackStatus}, {@code callbackAttempts}, {@code callbackError}, {@code callbackAt}, read back by the
 * task view's {@code callback}. Pure.
 */
public final class WebhookState {

    /** The longest error kept. */
    public static final int MAX_ERROR = 500;

    private WebhookState() {}

    /** The one key of every call: the task's hash. */
    public static List<String> keys(WebhookJob job) {
        return List.of(StateKeys.task(job.event().taskId()));
    }

    /** The job was confirmed by the broker: mark the terminal state it reports as enqueued. */
    public static List<String> queued(WebhookJob job) {
        return List.of("queued", job.event().id(), millis(job.event().at()), job.url(), "", "", "", "");
    }

    /** An attempt ended: the webhook stands at {@code status} after {@code job.attempt()} attempts. */
    public static List<String> attempt(WebhookJob job, TaskCallback.Status status, String error, Instant at) {
        return List.of(
                "attempt",
                job.event().id(),
                millis(job.event().at()),
                job.url(),
                status.name(),
                String.valueOf(job.attempt()),
                error == null ? "" : cut(error),
                String.valueOf(at.toEpochMilli()));
    }

    /**
     * Whether the record's fields say a webhook was enqueued for the terminal state it holds now: {@code callbackSent}
     * names that state and its time ({@code <status>:<updatedAt>}).
     */
    public static boolean queuedFor(String status, String updatedAt, String callbackSent) {
        return status != null && callbackSent != null && callbackSent.equals(status + ":" + updatedAt);
    }

    private static String millis(Instant at) {
        return String.valueOf(at == null ? 0 : at.toEpochMilli());
    }

    private static String cut(String error) {
        return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
    }
}
