package io.conveyor.model.state;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatcherTest {

    /** A sender whose batches are answered by the test. */
    private static final class Recorder implements Batcher.Sender<String, String> {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<List<String>>> answers = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<List<String>> send(List<String> items) {
            batches.add(items);
            CompletableFuture<List<String>> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        void answer(int batch) {
            answers.get(batch)
                    .complete(
                            batches.get(batch).stream().map(String::toUpperCase).toList());
        }
    }

    @Test
    void anItemAloneIsSentAtOnce() throws Exception {
        Recorder sender = new Recorder();
        Batcher<String, String> batcher = new Batcher<>(sender, 64, 1);
        CompletableFuture<String> result = batcher.submit("a");
        assertEquals(List.of(List.of("a")), sender.batches);
        assertFalse(result.isDone());
        sender.answer(0);
        assertEquals("A", result.get(1, TimeUnit.SECONDS));
        assertEquals(0, batcher.inFlight());
    }

    @Test
    void itemsArrivingWhileEverySlotIsTakenGoTogetherInTheNextBatch() throws Exception {
        Recorder sender = new Recorder();
        Batcher<String, String> batcher = new Batcher<>(sender, 64, 2);
        CompletableFuture<String> a = batcher.submit("a");
        CompletableFuture<String> b = batcher.submit("b");
        CompletableFuture<String> c = batcher.submit("c");
        CompletableFuture<String> d = batcher.submit("d");
        assertEquals(List.of(List.of("a"), List.of("b")), sender.batches, "one batch per free slot");
        sender.answer(1);
        assertEquals(List.of(List.of("a"), List.of("b"), List.of("c", "d")), sender.batches);
        assertEquals("B", b.get(1, TimeUnit.SECONDS));
        assertFalse(a.isDone(), "each item completes with its own batch");
        sender.answer(0);
        sender.answer(2);
        assertEquals(List.of("A", "C", "D"), List.of(a.get(), c.get(), d.get()));
    }

    @Test
    void batchesNeverExceedTheirMaximumSize() {
        Recorder sender = new Recorder();
        Batcher<String, String> batcher = new Batcher<>(sender, 3, 1);
        batcher.submit("first");
        for (int i = 0; i < 7; i++) {
            batcher.submit("item" + i);
        }
        sender.answer(0);
        sender.answer(1);
        sender.answer(2);
        assertEquals(
                List.of(1, 3, 3, 1), sender.batches.stream().map(List::size).toList());
    }

    @Test
    void aFailedBatchFailsItsItemsAndTheNextOneStillGoes() throws Exception {
        Recorder sender = new Recorder();
        Batcher<String, String> batcher = new Batcher<>(sender, 64, 1);
        CompletableFuture<String> a = batcher.submit("a");
        CompletableFuture<String> b = batcher.submit("b");
        sender.answers.get(0).completeExceptionally(new IllegalStateException("connection reset"));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> a.get(1, TimeUnit.SECONDS));
        assertEquals("connection reset", failure.getCause().getMessage());
        sender.answer(1);
        assertEquals("B", b.get(1, TimeUnit.SECONDS));
    }

    @Test
    void aSenderThatThrowsFailsTheBatchWithoutBlockingTheNext() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        Batcher<String, String> batcher = new Batcher<>(
                items -> {
                    seen.add(items);
                    if (items.contains("bad")) {
                        throw new IllegalArgumentException("refused");
                    }
                    return CompletableFuture.completedFuture(items);
                },
                64,
                1);
        CompletableFuture<String> bad = batcher.submit("bad");
        assertTrue(bad.isCompletedExceptionally());
        assertEquals("good", batcher.submit("good").get(1, TimeUnit.SECONDS));
        assertEquals(0, batcher.inFlight());
    }

    @Test
    void anAnswerOfTheWrongSizeFailsEveryItemOfTheBatch() {
        Batcher<String, String> batcher = new Batcher<>(items -> CompletableFuture.completedFuture(List.of()), 64, 1);
        ExecutionException failure =
                assertThrows(ExecutionException.class, () -> batcher.submit("a").get(1, TimeUnit.SECONDS));
        assertTrue(
                failure.getCause().getMessage().contains("Expected 1 results"),
                failure.getCause().getMessage());
    }

    @Test
    void anItemWhoseCallerGaveUpIsNotSent() throws Exception {
        Recorder sender = new Recorder();
        Batcher<String, String> batcher = new Batcher<>(sender, 64, 1);
        batcher.submit("first");
        CompletableFuture<String> abandoned = batcher.submit("late");
        CompletableFuture<String> kept = batcher.submit("kept");
        abandoned.completeExceptionally(new java.util.concurrent.TimeoutException());
        sender.answer(0);
        assertEquals(List.of(List.of("first"), List.of("kept")), sender.batches);
        sender.answer(1);
        assertEquals("KEPT", kept.get(1, TimeUnit.SECONDS));
    }

    @Test
    void underConcurrentLoadEveryItemGetsItsOwnResultAndBatchesForm() throws Exception {
        ExecutorService redis = Executors.newSingleThreadExecutor();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try {
            Batcher<String, String> batcher = new Batcher<>(
                    items -> {
                        sizes.add(items.size());
                        return CompletableFuture.supplyAsync(
                                () -> items.stream().map(s -> s + "!").toList(), redis);
                    },
                    16,
                    2);
            List<CompletableFuture<Boolean>> checks = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                String item = "task-" + i;
                checks.add(CompletableFuture.supplyAsync(() -> batcher.submit(item), callers)
                        .thenCompose(f -> f)
                        .thenApply(result -> result.equals(item + "!")));
            }
            for (CompletableFuture<Boolean> check : checks) {
                assertTrue(check.get(30, TimeUnit.SECONDS));
            }
            assertEquals(20_000, sizes.stream().mapToInt(Integer::intValue).sum(), "every item sent exactly once");
            assertTrue(sizes.stream().allMatch(n -> n <= 16), "no batch over its maximum");
            assertTrue(sizes.size() < 20_000, "some items shared a batch: " + sizes.size() + " batches");
            assertEquals(0, batcher.inFlight());
        } finally {
            redis.shutdownNow();
            callers.shutdownNow();
        }
    }
}
