package io.conveyor.model.ops;

import java.time.Duration;
import java.time.Instant;

/**
 * Names shared by the gateway's operations API and the workers: the Redis keys of live workers, paused types and
 * per-minute counts, and the broker exchange that carries pause and resume to every worker (README, "Operations API").
 */
public final class OpsKeys {

    /** Fanout exchange of {@link ControlMessage}s; each worker binds one exclusive, auto-delete queue to it. */
    public static final String CONTROL_EXCHANGE = "conveyor.control";

    /** Set of the task types paused now; a worker that starts reads it before it opens its consumers. */
    public static final String PAUSED = "conveyor:paused";

    /** Sorted set of worker ids by the time of their last heartbeat (epoch millis). */
    public static final String WORKERS = "conveyor:workers";

    /** Minutes of per-minute counts kept: the figures cover the last 1 and the last 15 minutes. */
    public static final int STATS_MINUTES = 15;

    /** Heartbeats a worker may miss before it counts as gone: its key expires after this many intervals. */
    public static final int MISSED_HEARTBEATS = 3;

    private OpsKeys() {}

    /** String holding one worker's last {@link WorkerHeartbeat} as JSON, expiring after 3 heartbeat intervals. */
    public static String worker(String id) {
        return "conveyor:worker:" + id;
    }

    /** Hash, task type to count, of the tasks accepted (created QUEUED or delayed) in one epoch minute. */
    public static String accepted(long epochMinute) {
        return "conveyor:stats:accepted:" + epochMinute;
    }

    /** Hash, task type to count, of the tasks that reached a terminal status (succeeded, dead, cancelled). */
    public static String finished(long epochMinute) {
        return "conveyor:stats:finished:" + epochMinute;
    }

    /** The epoch minute an instant falls in, as the Lua scripts compute it: floor(millis / 60000). */
    public static long epochMinute(Instant at) {
        return Math.floorDiv(at.toEpochMilli(), Duration.ofMinutes(1).toMillis());
    }
}
