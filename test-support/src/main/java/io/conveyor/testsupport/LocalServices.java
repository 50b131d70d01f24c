package io.conveyor.testsupport;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real broker and Redis for one test class, as a JUnit extension on a static field:
 * {@code @RegisterExtension static final LocalServices services = new LocalServices();}. Before the class: the
 * topology declared, Conveyor's queues purged. After it: the task records it {@link #track tracked} forgotten, the
 * Redis keys it {@link #trackKey named} deleted, the queues purged again, connections closed.
 */
public final class LocalServices implements BeforeAllCallback, AfterAllCallback {

    private final Set<String> taskIds = new CopyOnWriteArraySet<>();
    private final List<String> redisKeys = new CopyOnWriteArrayList<>();
    private final Set<String> batchIds = new CopyOnWriteArraySet<>();
    private LocalBroker broker;
    private LocalRedis redis;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = new LocalBroker().declareTopology();
        broker.purgeAll();
        redis = new LocalRedis();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            redis.forget(taskIds);
            batchIds.forEach(redis::forgetBatch);
            redisKeys.forEach(key -> redis.call("DEL", key));
            broker.purgeAll();
        } finally {
            redis.close();
            broker.close();
        }
    }

    public LocalBroker broker() {
        return broker;
    }

    public LocalRedis redis() {
        return redis;
    }

    /** Remembers a task whose state record the class leaves behind; returns the id. */
    public String track(String taskId) {
        taskIds.add(taskId);
        return taskId;
    }

    public void track(Iterable<String> ids) {
        ids.forEach(this::track);
    }

    /** Remembers a batch whose keys the class leaves behind (its tasks are tracked apart); returns the id. */
    public String trackBatch(String batchId) {
        batchIds.add(batchId);
        return batchId;
    }

    /** Remembers a Redis key to delete after the class; returns the key. */
    public String trackKey(String key) {
        redisKeys.add(key);
        return key;
    }
}
