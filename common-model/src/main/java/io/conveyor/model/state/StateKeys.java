package io.conveyor.model.state;

import io.conveyor.model.TaskStatus;

/**
 * Redis key names of the state store, shared by the gateway (writes QUEUED, reads) and the workers (write the
 * rest). The Lua scripts derive the index keys from the same prefixes, so the store needs one Redis instance (or
 * a primary with replicas), not a cluster.
 */
public final class StateKeys {

    public static final String PREFIX = "conveyor:";
    /**
     * Pub/sub channel carrying the id of a task that reached a terminal state while a long-poll waited for it
     * (see {@link #waiting}); wakes long-polls.
     */
    public static final String TERMINAL_CHANNEL = "conveyor:terminal";

    private StateKeys() {}

    /** Hash of one task's view. */
    public static String task(String id) {
        return PREFIX + "task:" + id;
    }

    /**
     * Set, with an expiry, while a long-poll waits for the task: only then does its terminal transition publish on
     * {@link #TERMINAL_CHANNEL}. Without it every gateway would receive every finished task.
     */
    public static String waiting(String id) {
        return PREFIX + "waiting:" + id;
    }

    /** List of one task's failed attempts, newest last. */
    public static String failures(String id) {
        return PREFIX + "task:" + id + ":failures";
    }

    /** Sorted set of task ids by creation time: all tasks, or filtered by status, type, or both. */
    public static String index(TaskStatus status, String type) {
        if (status == null && type == null) {
            return PREFIX + "idx:all";
        }
        if (type == null) {
            return PREFIX + "idx:status:" + status;
        }
        if (status == null) {
            return PREFIX + "idx:type:" + type;
        }
        return PREFIX + "idx:type:" + type + ":status:" + status;
    }

    /**
     * Sorted set of one client's task ids by creation time: all of them, or filtered by status, type, or both. A
     * client name never contains ':', so these never collide with {@link #index}.
     */
    public static String index(String client, TaskStatus status, String type) {
        if (client == null) {
            return index(status, type);
        }
        String base = PREFIX + "idx:client:" + client;
        if (status == null && type == null) {
            return base;
        }
        if (type == null) {
            return base + ":status:" + status;
        }
        if (status == null) {
            return base + ":type:" + type;
        }
        return base + ":type:" + type + ":status:" + status;
    }

    /** String holding the first answer for an idempotency key sent without an API key. */
    public static String idempotency(String key) {
        return PREFIX + "idem:" + key;
    }

    /**
     * String holding the first answer for an idempotency key of one API client: keys are scoped per client, so two
     * clients may use the same key. A client name never contains ':', so the scopes cannot collide.
     */
    public static String idempotency(String client, String key) {
        return client == null ? idempotency(key) : PREFIX + "idemc:" + client + ":" + key;
    }

    /** Hash of one batch: size, remaining, owner, its onComplete task (see transition.lua). */
    public static String batch(String id) {
        return PREFIX + "batch:" + id;
    }

    /** List of a batch's member task ids, in the order submitted. */
    public static String batchTasks(String id) {
        return batch(id) + ":tasks";
    }

    /** Set of a batch's members that reached a terminal state (each counted once). */
    public static String batchDone(String id) {
        return batch(id) + ":done";
    }

    /** String with a lease: who is publishing a done batch's onComplete task right now. */
    public static String batchClaim(String id) {
        return batch(id) + ":claim";
    }

    /**
     * What a batch's long-polls wait for: {@link #waiting} of this name, and this name published on
     * {@link #TERMINAL_CHANNEL} when the batch is done. Task ids are UUIDs, so it never names a task.
     */
    public static String batchEvent(String id) {
        return "batch:" + id;
    }
}
