package io.conveyor.gateway.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.model.BatchView;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;
import io.conveyor.model.state.BatchRecords;
import io.conveyor.model.state.Batcher;
import io.conveyor.model.state.KeptOptions;
import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.TaskRecords;
import io.conveyor.model.state.Transition;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The gateway's view of the state store: creates QUEUED records, reads views and pages, cancels and requeues.
 * Every failure to reach Redis surfaces as {@link StateUnavailableException}.
 */
@ApplicationScoped
public class TaskStore {

    private static final Logger LOG = Logger.getLogger(TaskStore.class);

    /**
     * QUEUED records of concurrent requests go to Redis together, in one script call per batch: under load that
     * spares Redis and the gateway most of a round trip per task. Alone, a request's record is written at once.
     */
    private static final int MAX_BATCH = 64;

    private static final int MAX_BATCHES_IN_FLIGHT = 2;

    /**
     * A task to record QUEUED: its envelope, when it may run (null for now: not delayed) and its options as submitted
     * (kept in the record for the operator console; null for none).
     */
    public record NewTask(TaskEnvelope task, Instant notBefore, KeptOptions options) {}

    private final ReactiveRedisDataSource redis;
    private final GatewayConfig.State config;
    private final Event<TaskCancelled> cancellations;
    private final Batcher<NewTask, Boolean> creations =
            new Batcher<>(this::createAll, MAX_BATCH, MAX_BATCHES_IN_FLIGHT);

    public TaskStore(ReactiveRedisDataSource redis, GatewayConfig config, Event<TaskCancelled> cancellations) {
        this.redis = redis;
        this.config = config.state();
        this.cancellations = cancellations;
    }

    /**
     * Records a task as QUEUED (with its not-before time when delayed), with its payload and options; false if it
     * already existed. Fails with {@link StateUnavailableException} when Redis did not answer within {@code
     * conveyor.state.write-timeout}; a record not yet sent by then is never written.
     */
    public Uni<Boolean> create(TaskEnvelope task, Instant notBefore, KeptOptions options) {
        return Uni.createFrom()
                .completionStage(() -> creations
                        .submit(new NewTask(task, notBefore, options))
                        .orTimeout(config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .onFailure()
                .transform(e -> e instanceof StateUnavailableException ? e : new StateUnavailableException(e));
    }

    private CompletionStage<List<Boolean>> createAll(List<NewTask> batch) {
        return eval(Scripts.CREATE, createKeys(batch), createArguments(batch, null))
                .map(answer -> {
                    List<Boolean> created = new ArrayList<>(answer.size());
                    answer.forEach(one -> created.add(one.toLong() == 1L));
                    return created;
                })
                .subscribeAsCompletionStage();
    }

    private static List<String> createKeys(List<NewTask> tasks) {
        return tasks.stream().map(t -> StateKeys.task(t.task().id())).toList();
    }

    private static List<String> createArguments(List<NewTask> tasks, String batchId) {
        List<String> args = new ArrayList<>(tasks.size() * Scripts.CREATE_ARGS);
        tasks.forEach(t -> args.addAll(TaskRecords.createArguments(t.task(), t.notBefore(), t.options(), batchId)));
        return args;
    }

    /**
     * Records a batch and its members QUEUED, each member naming the batch, before anything is published: a worker
     * that ends a member must find it counted in its batch. {@code then}, the onComplete task (null for none), is
     * recorded as the envelope to publish once the batch is done, with its priority, payload and options. One script call for the batch, one for all
     * members; if the second fails the batch record is removed again.
     */
    public Uni<Void> createBatch(
            String batchId,
            Instant createdAt,
            String client,
            List<NewTask> members,
            NewTask then,
            Integer onCompletePriority) {
        TaskEnvelope onComplete = then == null ? null : then.task();
        List<String> batchArgs = new ArrayList<>(11 + members.size());
        batchArgs.addAll(List.of(
                batchId,
                String.valueOf(createdAt.toEpochMilli()),
                client == null ? "" : client,
                onComplete == null ? "" : onComplete.id(),
                onComplete == null ? "" : onComplete.type(),
                onComplete == null ? "" : String.valueOf(onComplete.maxAttempts()),
                onComplete == null ? "" : TaskRecords.toJson(onComplete),
                onCompletePriority == null ? "" : String.valueOf(onCompletePriority)));
        batchArgs.addAll(
                onComplete == null ? List.of("", "", "") : TaskRecords.keptArguments(onComplete, then.options()));
        members.forEach(member -> batchArgs.add(member.task().id()));
        List<String> keys = createKeys(members);
        List<String> args = createArguments(members, batchId);
        return eval(Scripts.BATCH_CREATE, List.of(StateKeys.batch(batchId), StateKeys.batchTasks(batchId)), batchArgs)
                .flatMap(created ->
                        eval(Scripts.CREATE, keys, args).onFailure().call(e -> forgetBatch(batchId, List.of())))
                .replaceWithVoid();
    }

    /** A batch's view with its counts per status, or null when unknown or expired. */
    public Uni<BatchView> getBatch(String id) {
        return eval(Scripts.BATCH_READ, BatchRecords.readKeys(id), List.of()).map(answer -> {
            List<String> flat = new ArrayList<>(answer.size());
            answer.forEach(r -> flat.add(r == null ? null : r.toString()));
            return BatchRecords.view(flat);
        });
    }

    /** Removes a batch's record and the records of {@code members}: a batch none of whose tasks was published. */
    public Uni<Void> forgetBatch(String batchId, List<String> members) {
        Uni<Void> batch = guard(redis.key()
                        .del(
                                StateKeys.batch(batchId),
                                StateKeys.batchTasks(batchId),
                                StateKeys.batchDone(batchId),
                                StateKeys.batchClaim(batchId)))
                .replaceWithVoid();
        return members.stream()
                .reduce(batch, (chain, id) -> chain.call(() -> forget(id)), (a, b) -> a)
                .onFailure()
                .invoke(e -> LOG.warnf("Could not remove the records of batch %s: %s", batchId, e.toString()));
    }

    /** Runs one of the state store's scripts: its array reply as strings (for batch completion). */
    public CompletionStage<List<String>> script(String script, List<String> keys, List<String> args) {
        return eval(script, keys, args)
                .map(answer -> {
                    List<String> out = new ArrayList<>(answer.size());
                    answer.forEach(r -> out.add(r == null ? null : r.toString()));
                    return out;
                })
                .subscribeAsCompletionStage();
    }

    /**
     * Announces a long-poll on the task for {@code wait} (plus {@code conveyor.state.watch-margin}): until then its terminal transition is
     * published for {@link TerminalEvents}. Must complete before the state is read, so no transition slips between.
     */
    public Uni<Void> watch(String id, Duration wait) {
        return guard(redis.execute(
                        "SET",
                        StateKeys.waiting(id),
                        "1",
                        "PX",
                        String.valueOf(wait.plus(config.watchMargin()).toMillis())))
                .replaceWithVoid();
    }

    /** The task's view, or null when unknown or expired. */
    public Uni<TaskView> get(String id) {
        return guard(redis.hash(String.class).hgetall(StateKeys.task(id))).map(h -> TaskRecords.view(h, Instant.now()));
    }

    /**
     * Everything the operator console shows of a task: its view, payload, options, the worker of its latest attempt
     * and every failed attempt; null when unknown or expired. The record and the failures are read side by side, not
     * atomically: a move landing between the two reads may show in one of them only.
     */
    public Uni<TaskDetail> detail(String id) {
        return Uni.combine()
                .all()
                .unis(guard(redis.hash(String.class).hgetall(StateKeys.task(id))), failures(id))
                .asTuple()
                .map(both -> TaskDetail.of(both.getItem1(), both.getItem2(), Instant.now()));
    }

    /** Every failed attempt of a task, oldest first. */
    public Uni<List<TaskError>> failures(String id) {
        return guard(redis.list(String.class).lrange(StateKeys.failures(id), 0, -1))
                .map(list -> list.stream().map(TaskRecords::error).toList());
    }

    /** A page of views, newest first, after {@code cursor}: every client's, or only {@code client}'s when set. */
    public Uni<TaskPage> list(String client, TaskStatus status, String type, int limit, TaskPage.Cursor cursor) {
        String index = StateKeys.index(client, status, type);
        // Fetch a few more than asked: members tied on the cursor's score before it are skipped.
        String max = cursor == null ? "+inf" : String.valueOf(cursor.score());
        return eval(
                        "return redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], '-inf', 'WITHSCORES', 'LIMIT', 0, ARGV[2])",
                        List.of(index),
                        List.of(max, String.valueOf(limit + 1 + (cursor == null ? 0 : 100))))
                .flatMap(range -> {
                    List<String> ids = new ArrayList<>();
                    List<Long> scores = new ArrayList<>();
                    for (int i = 0; i + 1 < range.size(); i += 2) {
                        String id = range.get(i).toString();
                        long score = (long) Double.parseDouble(range.get(i + 1).toString());
                        if (cursor != null && score == cursor.score() && id.compareTo(cursor.id()) >= 0) {
                            continue;
                        }
                        ids.add(id);
                        scores.add(score);
                        if (ids.size() == limit + 1) {
                            break;
                        }
                    }
                    return views(ids, index).map(views -> TaskPage.of(views, ids, scores, limit));
                });
    }

    /**
     * QUEUED or RETRY_SCHEDULED → CANCELLED; answers the script's outcome, the state it found, and the id of a batch
     * whose onComplete task is now due ('' for none). A cancel that moved the task fires {@link TaskCancelled}.
     */
    public Uni<List<String>> cancel(String id) {
        Instant at = Instant.now();
        return transition(
                        id,
                        Transition.to(TaskStatus.CANCELLED, at)
                                .nextAttemptAt(null)
                                .expireAfter(config.retentionFinished()))
                .invoke(answer -> {
                    if ("ok".equals(answer.get(0))) {
                        cancelled(new TaskCancelled(id, at));
                    }
                });
    }

    private void cancelled(TaskCancelled cancel) {
        try {
            cancellations.fire(cancel);
        } catch (RuntimeException e) {
            // The cancel stands: what observers do with it (events, callbacks) must never undo or fail it.
            LOG.warnf("A cancel observer failed for task %s: %s", cancel.taskId(), e.toString());
        }
    }

    /** DEAD → QUEUED with attempts reset, for a replayed dead letter; creates the record if it expired. */
    public Uni<List<String>> requeue(TaskEnvelope task) {
        return transition(
                task.id(),
                Transition.to(TaskStatus.QUEUED, Instant.now())
                        .attempts(0)
                        .nextAttemptAt(null)
                        .createIfMissing(task));
    }

    /** QUEUED → DEAD again, for a replay the broker could not route. */
    public Uni<List<String>> markDead(String id) {
        return transition(id, Transition.to(TaskStatus.DEAD, Instant.now()).expireAfter(config.retentionDead()));
    }

    /** Removes a task's record: a creation whose publish failed, or a discarded dead letter. */
    public Uni<Void> forget(String id) {
        return eval(Scripts.FORGET, List.of(StateKeys.task(id), StateKeys.failures(id)), List.of())
                .replaceWithVoid();
    }

    /** Removes the record of a task the broker refused, without waiting: the refusal is answered at once. */
    public void forgetInBackground(String id) {
        forget(id).subscribe().with(ok -> {}, e -> LOG.warnf("Could not remove the record of refused task %s", id));
    }

    private Uni<List<String>> transition(String id, Transition transition) {
        return eval(Scripts.TRANSITION, List.of(StateKeys.task(id), StateKeys.failures(id)), transition.arguments())
                .map(answers -> answers.get(0))
                .map(r -> List.of(
                        r.get(0).toString(),
                        r.get(1).toString(),
                        r.size() > 2 ? r.get(2).toString() : ""));
    }

    private Uni<List<TaskView>> views(List<String> ids, String index) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<Map<String, String>>> reads = ids.stream()
                .map(id -> guard(redis.hash(String.class).hgetall(StateKeys.task(id))))
                .toList();
        return Uni.join().all(reads).andFailFast().flatMap(hashes -> {
            Instant now = Instant.now();
            List<TaskView> views = new ArrayList<>();
            List<String> expired = new ArrayList<>();
            for (int i = 0; i < hashes.size(); i++) {
                TaskView view = TaskRecords.view(hashes.get(i), now);
                if (view == null) {
                    expired.add(ids.get(i));
                }
                views.add(view);
            }
            if (expired.isEmpty()) {
                return Uni.createFrom().item(views);
            }
            // Records expire by retention; their index entries are removed when a read finds them gone.
            return guard(redis.sortedSet(String.class).zrem(index, expired.toArray(String[]::new)))
                    .map(n -> views);
        });
    }

    private Uni<Response> eval(String script, List<String> keys, List<String> args) {
        return StateCalls.eval(redis, script, keys, args);
    }

    private static <T> Uni<T> guard(Uni<T> call) {
        return StateCalls.guard(call);
    }
}
