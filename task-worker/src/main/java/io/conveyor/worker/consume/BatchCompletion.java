package io.conveyor.worker.consume;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.amqp.BatchCompleter;
import io.conveyor.model.state.Scripts;
import io.conveyor.worker.config.WorkerConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * The worker's side of batches: when a state write says a batch is done (or was found done with its onComplete task
 * unpublished), publish that task through {@link BatchCompleter}, on the retry publisher's channels, before the
 * member's message is acknowledged.
 */
@ApplicationScoped
public class BatchCompletion {

    private final BatchCompleter completer;
    private final ReactiveRedisDataSource redis;

    public BatchCompletion(Outcomes outcomes, ReactiveRedisDataSource redis, WorkerConfig config) {
        this.redis = redis;
        this.completer = new BatchCompleter(
                this::run, outcomes.publisher(), config.retry().confirmTimeout());
    }

    /** Publishes the batch's onComplete task if still due; null or empty: nothing to do. Fails if it could not. */
    public CompletableFuture<Void> complete(String batchId) {
        return completer.complete(batchId);
    }

    private CompletionStage<List<String>> run(String script, List<String> keys, List<String> args) {
        String[] evalsha = Scripts.evalsha(script, keys, args);
        return redis.execute("EVALSHA", evalsha)
                .onFailure(Scripts::isNoScript)
                .recoverWithUni(() -> redis.execute("EVAL", Scripts.eval(script, evalsha)))
                .map(BatchCompletion::strings)
                .subscribeAsCompletionStage();
    }

    private static List<String> strings(Response answer) {
        List<String> out = new ArrayList<>();
        if (answer != null) {
            answer.forEach(r -> out.add(r == null ? null : r.toString()));
        }
        return out;
    }
}
