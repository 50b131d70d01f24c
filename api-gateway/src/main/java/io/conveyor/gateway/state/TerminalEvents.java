package io.conveyor.gateway.state;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.model.state.StateKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Wakes long-polling reads the moment a task reaches a terminal state: workers publish the task id on a Redis
 * channel when a long-poll announced itself ({@link TaskStore#watch}), this gateway holds one subscription and
 * completes the waiters of that id. No thread waits, and tasks nobody waits for cost no message.
 * Used by {@link LongPoll}: its futures do not leave this package.
 */
@Startup
@ApplicationScoped
public class TerminalEvents {

    private static final Logger LOG = Logger.getLogger(TerminalEvents.class);

    private final Map<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    private final Cancellable subscription;

    public TerminalEvents(ReactiveRedisDataSource redis) {
        this.subscription = redis.pubsub(String.class)
                .subscribe(StateKeys.TERMINAL_CHANNEL)
                .onFailure()
                .invoke(e -> LOG.warnf("Lost the Redis subscription for task events (%s); resubscribing", e.toString()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5))
                .indefinitely()
                .subscribe()
                .with(this::wake);
    }

    /** A future completed when the task reaches a terminal state; call {@link #forget} when done waiting. */
    CompletableFuture<Void> await(String taskId) {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        waiters.computeIfAbsent(taskId, id -> ConcurrentHashMap.newKeySet()).add(waiter);
        return waiter;
    }

    void forget(String taskId, CompletableFuture<Void> waiter) {
        waiters.computeIfPresent(taskId, (id, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    private void wake(String taskId) {
        Set<CompletableFuture<Void>> set = waiters.remove(taskId);
        if (set != null) {
            set.forEach(w -> w.complete(null));
        }
    }

    @PreDestroy
    void close() {
        subscription.cancel();
    }
}
