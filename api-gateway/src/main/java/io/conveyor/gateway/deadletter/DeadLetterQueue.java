package io.conveyor.gateway.deadletter;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotNull;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;

import io.conveyor.amqp.DeadLetterFormat;
import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.config.QueueMaxLengths;
import io.conveyor.gateway.publish.QueueFullException;
import io.conveyor.model.DeadLetter;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.Topology;

/**
 * Operator access to {@code conveyor.dead}, the source of truth for dead letters: browse, replay (state back to
 * QUEUED, publish with confirm, only then remove the dead letter) and discard. A crash in the middle of a replay
 * leaves the dead letter in place: nothing is lost, at worst it is replayed twice. Only what a worker of this
 * deployment could run is replayed; the rest stays dead, untouched, until discarded.
 */
@ApplicationScoped
public class DeadLetterQueue {

    private final DeadLetterScanner scanner;
    private final DeadLetterStates states;
    private final TaskCatalogue catalogue;
    private final Duration confirmTimeout;
    private final QueueMaxLengths maxLengths;

    public DeadLetterQueue(
            DeadLetterScanner scanner,
            DeadLetterStates states,
            TaskCatalogue catalogue,
            GatewayConfig config,
            QueueMaxLengths maxLengths) {
        this.maxLengths = maxLengths;
        this.scanner = scanner;
        this.states = states;
        this.catalogue = catalogue;
        this.confirmTimeout = config.deadLetters().confirmTimeout();
    }

    /** Up to {@code limit} dead letters, oldest first, of one type (known to the catalogue or not) or all. */
    public List<DeadLetter> browse(String type, int limit) {
        List<DeadLetter> found = new ArrayList<>();
        scanner.scan(message -> {
            if (matches(message, type)) {
                found.add(states.withState(read(message)));
            }
            return found.size() >= limit;
        });
        return found;
    }

    /**
     * Replays one dead letter: {@code replayed} is 1 when it went back to its queue; its id is in {@code unroutable}
     * when the broker could route it to no queue (it stays dead); both are empty when no dead letter has that id.
     *
     * @throws NotReplayableException when it could not run, leaving it and its state as they were
     * @throws QueueFullException when its type's queue is full: it stays dead, its state DEAD
     */
    public Replayed replay(String id) {
        return replayWhere(m -> id.equals(idOf(m)), true);
    }

    /** Replays every dead letter of a type (or all) that can run; answers what was replayed and what was left. */
    public Replayed replayAll(String type) {
        return replayWhere(m -> matches(m, type), false);
    }

    /**
     * Outcome of a replay: how many went back to their queues, and the ids left dead because they cannot run (an
     * unknown type, not a task envelope) or no queue took them (none bound, or its queue full).
     */
    public record Replayed(int replayed, @NotNull List<String> unroutable) {}

    /**
     * Replays the dead letters with these ids that can run (the console's "replay selected"); the others stay dead,
     * their ids in {@code unroutable}. Ids no dead letter has are ignored.
     */
    public Replayed replay(Set<String> ids) {
        return replayWhere(m -> ids.contains(idOf(m)), false);
    }

    /** Removes the dead letters with these ids and their state for good; answers how many were removed. */
    public int discard(Set<String> ids) {
        List<String> removed = new ArrayList<>();
        scanner.withChannel(channel -> scanner.scanOn(channel, message -> {
            String id = idOf(message);
            if (ids.contains(id)) {
                channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
                removed.add(id);
            }
            return removed.size() == ids.size();
        }));
        removed.forEach(states::forget);
        return removed.size();
    }

    /** Removes a dead letter and its state for good; false when no dead letter has that id. */
    public boolean discard(String id) {
        boolean[] removed = {false};
        scanner.withChannel(channel -> scanner.scanOn(channel, message -> {
            if (id.equals(idOf(message))) {
                channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
                removed[0] = true;
            }
            return removed[0];
        }));
        if (removed[0]) {
            states.forget(id);
        }
        return removed[0];
    }

    private Replayed replayWhere(Predicate<GetResponse> wanted, boolean refuseWhatCannotRun) {
        int[] replayed = {0};
        List<String> unroutable = new ArrayList<>();
        scanner.withChannel(channel -> {
            channel.confirmSelect();
            Set<String> returned = ConcurrentHashMap.newKeySet();
            channel.addReturnListener(r -> returned.add(DeadLetterFormat.idOf(r.getProperties(), r.getBody())));
            scanner.scanOn(channel, message -> {
                if (!wanted.test(message)) {
                    return false;
                }
                String id = idOf(message);
                Optional<String> why = whyNotReplayable(message);
                if (why.isPresent() && refuseWhatCannotRun) {
                    throw new NotReplayableException(id, why.get());
                }
                boolean back;
                try {
                    back = why.isEmpty() && republish(channel, message, returned);
                } catch (QueueFullException e) {
                    if (refuseWhatCannotRun) {
                        throw e;
                    }
                    back = false;
                }
                if (back) {
                    replayed[0]++;
                } else {
                    unroutable.add(id);
                }
                return refuseWhatCannotRun;
            });
        });
        return new Replayed(replayed[0], unroutable);
    }

    /** Requeues the task's state and publishes it anew; true once confirmed and routed, when the dead letter goes. */
    private boolean republish(Channel channel, GetResponse message, Set<String> returned)
            throws IOException, InterruptedException, TimeoutException {
        TaskEnvelope task = DeadLetterFormat.envelope(message.getBody()).orElseThrow();
        states.requeue(task);
        channel.basicPublish(
                Topology.TASKS_EXCHANGE,
                DeadLetterFormat.typeOf(
                        message.getProps(), message.getEnvelope().getRoutingKey()),
                true,
                DeadLetterFormat.forReplay(message.getProps(), Instant.now()),
                message.getBody());
        if (!channel.waitForConfirms(confirmTimeout.toMillis())) {
            // Refused (nack): its queue is at its limit policy's length. It stays dead, and so does its state.
            states.markDeadAgain(task.id());
            throw new QueueFullException(task.type(), maxLengths.of(task.type()));
        }
        if (returned.remove(idOf(message))) {
            // No queue took it (its queue was deleted by hand): it stays dead.
            states.markDeadAgain(task.id());
            return false;
        }
        channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
        return true;
    }

    private Optional<String> whyNotReplayable(GetResponse message) {
        return DeadLetterFormat.whyNotReplayable(
                message.getProps(),
                message.getBody(),
                message.getEnvelope().getRoutingKey(),
                type -> catalogue.find(type).isPresent());
    }

    private static DeadLetter read(GetResponse message) {
        return DeadLetterFormat.read(
                message.getProps(), message.getBody(), message.getEnvelope().getRoutingKey());
    }

    private static String idOf(GetResponse message) {
        return DeadLetterFormat.idOf(message.getProps(), message.getBody());
    }

    private static boolean matches(GetResponse message, String type) {
        return type == null
                || type.equals(DeadLetterFormat.typeOf(
                        message.getProps(), message.getEnvelope().getRoutingKey()));
    }
}
