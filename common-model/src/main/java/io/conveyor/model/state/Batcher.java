package io.conveyor.model.state;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit for calls that each cost a round trip: items submitted while earlier batches are on their way go
 * together in the next one. An item that finds a free slot is sent at once, so a quiet system waits for nothing;
 * under load the batches grow by themselves, up to {@code maxBatch}, with at most {@code maxInFlight} outstanding.
 * An item whose future is already complete when its batch is formed (its caller gave up) is not sent.
 */
public final class Batcher<I, O> {

    /** Sends one batch; the answer holds one result per item, in the batch's order. */
    @FunctionalInterface
    public interface Sender<I, O> {
        CompletionStage<List<O>> send(List<I> items);
    }

    private record Entry<I, O>(I item, CompletableFuture<O> future) {}

    private final Sender<I, O> sender;
    private final int maxBatch;
    private final int maxInFlight;
    private final ConcurrentLinkedQueue<Entry<I, O>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    public Batcher(Sender<I, O> sender, int maxBatch, int maxInFlight) {
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and maxInFlight must be at least 1");
        }
        this.sender = sender;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
    }

    /** Queues an item; the future completes with its result, or fails with its batch. */
    public CompletableFuture<O> submit(I item) {
        Entry<I, O> entry = new Entry<>(item, new CompletableFuture<>());
        queue.add(entry);
        drain();
        return entry.future();
    }

    /** Batches sent and not answered yet. */
    public int inFlight() {
        return inFlight.get();
    }

    private void drain() {
        // Whoever finds work and a free slot sends: a submitter, or the completion of an earlier batch. An item queued
        // while every slot was taken is picked up by the completion that frees the next one.
        while (!queue.isEmpty()) {
            int sending = inFlight.get();
            if (sending >= maxInFlight) {
                return;
            }
            if (!inFlight.compareAndSet(sending, sending + 1)) {
                continue;
            }
            List<Entry<I, O>> batch = new ArrayList<>();
            Entry<I, O> next;
            while (batch.size() < maxBatch && (next = queue.poll()) != null) {
                if (!next.future().isDone()) {
                    batch.add(next);
                }
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
            } else {
                send(batch);
            }
        }
    }

    private void send(List<Entry<I, O>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        batch.forEach(entry -> items.add(entry.item()));
        CompletionStage<List<O>> answer;
        try {
            answer = sender.send(items);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((results, failure) -> {
            inFlight.decrementAndGet();
            // The next batch leaves before this one's callers resume: their continuations may take a while.
            drain();
            if (failure == null && (results == null || results.size() != batch.size())) {
                failure = new IllegalStateException(
                        "Expected " + batch.size() + " results, got " + (results == null ? "none" : results.size()));
            }
            for (int i = 0; i < batch.size(); i++) {
                if (failure != null) {
                    batch.get(i).future().completeExceptionally(failure);
                } else {
                    batch.get(i).future().complete(results.get(i));
                }
            }
        });
    }
}
