package io.conveyor.gateway.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.gateway.state.StateUnavailableException;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.ops.ControlMessage;
import io.conveyor.model.ops.OpsKeys;
import io.conveyor.model.ops.WorkerHeartbeat;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * The gateway's operations API (README, "Operations API"): each task queue's figures, the live workers, and pausing or
 * resuming the consumers of a type. A pause is written to Redis ({@link OpsKeys#PAUSED}) first and then announced on
 * {@link OpsKeys#CONTROL_EXCHANGE}; workers act on the message at once, and on the set at their next heartbeat when
 * they missed it. Submission is not affected: a paused type's tasks are accepted and wait in its queue.
 */
@ApplicationScoped
public class Operations {

    private static final Logger LOG = Logger.getLogger(Operations.class);

    private final TaskCatalogue catalogue;
    private final BrokerFigures broker;
    private final StateFigures state;
    private final LiveWorkers workers;
    private final Redis redis;

    public Operations(
            TaskCatalogue catalogue, BrokerFigures broker, StateFigures state, LiveWorkers workers, Redis redis) {
        this.catalogue = catalogue;
        this.broker = broker;
        this.state = state;
        this.workers = workers;
        this.redis = redis;
    }

    /** Every task type's figures, by name: one call to the broker (or a passive declare each) and one to Redis. */
    public Uni<QueuesView> queues() {
        List<String> types = List.copyOf(new TreeSet<>(catalogue.names()));
        Instant now = Instant.now();
        Uni<BrokerFigures.Snapshot> counts = Uni.createFrom()
                .item(() -> broker.counts(types))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return Uni.combine().all().unis(counts, state.read(types, now)).with((b, s) -> view(types, now, b, s));
    }

    private static QueuesView view(
            List<String> types, Instant now, BrokerFigures.Snapshot counts, StateFigures.Snapshot figures) {
        List<QueueFigures> queues = new ArrayList<>(types.size());
        for (String type : types) {
            BrokerFigures.Counts broker = counts.byType().get(type);
            StateFigures.Figures state = figures.byType().get(type);
            List<Long> finished = state.finished();
            queues.add(new QueueFigures(
                    type,
                    figures.paused().contains(type),
                    broker.ready(),
                    broker.unacknowledged(),
                    broker.consumers(),
                    state.retrying(),
                    state.dead(),
                    state.accepted().getLast(),
                    sum(state.accepted()),
                    finished.getLast(),
                    sum(finished),
                    finished,
                    latency(now, state.oldestDueMillis())));
        }
        return new QueuesView(now, counts.source(), queues);
    }

    /** Seconds the oldest due task has waited, or null when none waits. */
    static Double latency(Instant now, long oldestDueMillis) {
        if (oldestDueMillis < 0) {
            return null;
        }
        return Math.max(0, now.toEpochMilli() - oldestDueMillis)
                / (double) Duration.ofSeconds(1).toMillis();
    }

    private static long sum(List<Long> counts) {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    /** The live workers, by id. */
    public Uni<List<WorkerHeartbeat>> workers() {
        return workers.list();
    }

    /** Stops every worker consuming {@code type}; its tasks are still accepted and wait in the queue. */
    public Uni<Void> pause(String type) {
        return control(type, ControlMessage.Action.PAUSE, Command.SADD);
    }

    /** Lets the workers consume {@code type} again. */
    public Uni<Void> resume(String type) {
        return control(type, ControlMessage.Action.RESUME, Command.SREM);
    }

    /** The paused task types. */
    public Uni<Set<String>> paused() {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(OpsKeys.PAUSED))
                .onFailure()
                .transform(StateUnavailableException::new)
                .map(members -> {
                    Set<String> paused = new TreeSet<>();
                    members.forEach(m -> paused.add(m.toString()));
                    return paused;
                });
    }

    private Uni<Void> control(String type, ControlMessage.Action action, Command write) {
        if (type == null || catalogue.find(type).isEmpty()) {
            return Uni.createFrom().failure(new UnknownTaskTypeException(type, catalogue.names()));
        }
        ControlMessage message = new ControlMessage(action, type);
        return redis.send(Request.cmd(write).arg(OpsKeys.PAUSED).arg(type))
                .onFailure()
                .transform(StateUnavailableException::new)
                .flatMap(written -> Uni.createFrom()
                        .item(() -> {
                            broker.publish(message);
                            return written;
                        })
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .invoke(() -> LOG.infof("Consumers of %s: %s", type, action))
                .replaceWithVoid();
    }
}
