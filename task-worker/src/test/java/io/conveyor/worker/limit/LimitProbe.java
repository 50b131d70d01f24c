package io.conveyor.worker.limit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.worker.handler.TaskContext;

/** What the limited probe types saw: when each attempt started, how many of a type ran at once, and at most. */
@ApplicationScoped
public class LimitProbe {

    /** One attempt's start, in epoch ms. */
    public record Start(String type, String taskId, int attempt, long at) {}

    private final List<Start> starts = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> peak = new ConcurrentHashMap<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    Object run(TaskContext context, long holdMillis, boolean hold) throws InterruptedException {
        starts.add(new Start(context.type(), context.taskId(), context.attempt(), System.currentTimeMillis()));
        AtomicInteger now = running.computeIfAbsent(context.type(), t -> new AtomicInteger());
        peak.computeIfAbsent(context.type(), t -> new AtomicInteger())
                .accumulateAndGet(now.incrementAndGet(), Math::max);
        try {
            if (hold) {
                gate.await();
            }
            if (holdMillis > 0) {
                Thread.sleep(holdMillis);
            }
            return Map.of("ok", true);
        } finally {
            now.decrementAndGet();
        }
    }

    /** The starts of one type, in order. */
    public List<Start> starts(String type) {
        return starts.stream().filter(s -> s.type().equals(type)).toList();
    }

    public int running(String type) {
        AtomicInteger n = running.get(type);
        return n == null ? 0 : n.get();
    }

    public int peak(String type) {
        AtomicInteger n = peak.get(type);
        return n == null ? 0 : n.get();
    }

    /** Forgets what was seen; tasks that hold wait until {@link #open()}. */
    public void reset() {
        starts.clear();
        peak.clear();
        gate = new CountDownLatch(1);
    }

    public void open() {
        gate.countDown();
    }
}
