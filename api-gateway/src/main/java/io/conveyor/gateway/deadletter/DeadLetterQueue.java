package io.conveyor.gateway.deadletter;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;

import io.conveyor.amqp.BrokerUnavailableException;
import io.conveyor.amqp.TaskMessages;
import io.conveyor.gateway.publish.Broker;
import io.conveyor.gateway.state.StateUnavailableException;
import io.conveyor.gateway.state.TaskStore;
import io.conveyor.model.Headers;
import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;
import io.conveyor.model.Topology;

/**
 * Operator access to {@code conveyor.dead}, the source of truth for dead letters: browse (take and return),
 * replay (state back to QUEUED, publish with confirm, only then remove the dead letter) and discard. A crash
 * in the middle of a replay leaves the dead letter in place: nothing is lost, at worst it is replayed twice.
 * Operations are serialised in this gateway, since a browse holds the messages it looks at.
 */
@ApplicationScoped
public class DeadLetterQueue {

    private static final Logger LOG = Logger.getLogger(DeadLetterQueue.class);
    /** Dead letters looked at in one operation, at most. */
    static final int MAX_SCAN = 10_000;

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> STORY_HEADERS = Set.of(
            Headers.ERROR_CLASS,
            Headers.ERROR_MESSAGE,
            Headers.ERROR_STACK,
            Headers.FAILED_AT,
            Headers.WORKER,
            Headers.DEAD_REASON,
            Headers.ORIGINAL_ROUTING_KEY,
            Headers.RETRY_TIER,
            Headers.NOT_BEFORE,
            "x-death",
            "x-first-death-exchange",
            "x-first-death-queue",
            "x-first-death-reason",
            "x-last-death-exchange",
            "x-last-death-queue",
            "x-last-death-reason",
            "x-delivery-count");

    private final Broker broker;
    private final TaskStore store;
    private final ReentrantLock lock = new ReentrantLock(true);

    public DeadLetterQueue(Broker broker, TaskStore store) {
        this.broker = broker;
        this.store = store;
    }

    /** Up to {@code limit} dead letters, oldest first, of one type or all. */
    public List<DeadLetter> browse(String type, int limit) {
        List<DeadLetter> found = new ArrayList<>();
        scan(message -> {
            if (found.size() < limit && matches(message, type)) {
                found.add(describe(message));
            }
            return false;
        });
        return found;
    }

    /** Replays one dead letter; false when no dead letter has that id. */
    public boolean replay(String id) {
        return replayWhere(m -> id.equals(m.getProps().getMessageId())).replayed() == 1;
    }

    /** Replays every dead letter of a type (or all); answers what was replayed and what could not be routed. */
    public Replayed replayAll(String type) {
        return replayWhere(m -> matches(m, type));
    }

    /** Outcome of a replay: ids sent back to their queues, ids left dead because no queue takes their type. */
    public record Replayed(int replayed, List<String> unroutable) {}

    /** Removes a dead letter and its state for good; false when no dead letter has that id. */
    public boolean discard(String id) {
        boolean[] removed = {false};
        withChannel(channel -> scanOn(channel, message -> {
            if (!removed[0] && id.equals(message.getProps().getMessageId())) {
                channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
                removed[0] = true;
            }
            return removed[0];
        }));
        if (removed[0]) {
            forgetQuietly(id);
        }
        return removed[0];
    }

    private Replayed replayWhere(Predicate<GetResponse> wanted) {
        int[] replayed = {0};
        List<String> unroutable = new ArrayList<>();
        withChannel(channel -> {
            channel.confirmSelect();
            Set<String> returned = java.util.concurrent.ConcurrentHashMap.newKeySet();
            channel.addReturnListener(r -> returned.add(r.getProperties().getMessageId()));
            scanOn(channel, message -> {
                if (!wanted.test(message)) {
                    return false;
                }
                String id = message.getProps().getMessageId();
                TaskEnvelope task = envelope(message.getBody());
                requeueState(id, task);
                channel.basicPublish(
                        Topology.TASKS_EXCHANGE, typeOf(message), true, replayProperties(message), message.getBody());
                channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
                if (returned.remove(id)) {
                    // No queue takes this type (a poison message of an unknown type): it stays dead.
                    unroutable.add(id);
                    markDeadAgain(id);
                } else {
                    channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
                    replayed[0]++;
                }
                return false;
            });
        });
        return new Replayed(replayed[0], unroutable);
    }

    private interface ChannelWork {
        void run(Channel channel) throws IOException, InterruptedException, TimeoutException;
    }

    private interface Visitor {
        /** Returns true to stop scanning. */
        boolean visit(GetResponse message) throws IOException, InterruptedException, TimeoutException;
    }

    private void scan(Visitor visitor) {
        withChannel(channel -> scanOn(channel, visitor));
    }

    private static void scanOn(Channel channel, Visitor visitor)
            throws IOException, InterruptedException, TimeoutException {
        GetResponse message;
        int scanned = 0;
        // Taken without ack: everything not acknowledged returns to the queue when the channel closes.
        while (scanned++ < MAX_SCAN && (message = channel.basicGet(Topology.DEAD_QUEUE, false)) != null) {
            if (visitor.visit(message)) {
                return;
            }
        }
    }

    private void withChannel(ChannelWork work) {
        var connection = broker.connection().orElseThrow(() -> new BrokerUnavailableException(broker.state()));
        lock.lock();
        try (Channel channel = connection.createChannel()) {
            work.run(channel);
        } catch (IOException | TimeoutException e) {
            throw new BrokerUnavailableException("Dead-letter operation failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("Interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    private DeadLetter describe(GetResponse message) {
        String id = message.getProps().getMessageId();
        TaskStatus status = null;
        List<TaskError> failures = List.of();
        try {
            TaskView view = store.get(id).await().atMost(Duration.ofSeconds(2));
            status = view == null ? null : view.status();
            failures = store.failures(id).await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf("No state for dead letter %s: %s", id, e.toString());
        }
        Map<String, Object> headers = headers(message);
        String reason = text(headers.get(Headers.DEAD_REASON));
        if (reason == null && headers.containsKey("x-death")) {
            reason = "broker-"
                    + String.valueOf(headers.getOrDefault("x-first-death-reason", "dead-lettered"))
                            .replace('_', '-');
        }
        return new DeadLetter(
                id,
                typeOf(message),
                reason,
                text(headers.get(Headers.ERROR_CLASS)),
                text(headers.get(Headers.ERROR_MESSAGE)),
                TaskMessages.intHeader(message.getProps(), Headers.ATTEMPT, 1),
                text(headers.get(Headers.FAILED_AT)),
                text(headers.get(Headers.WORKER)),
                status,
                failures);
    }

    private void requeueState(String id, TaskEnvelope task) {
        if (task == null) {
            return;
        }
        try {
            store.requeue(task).await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            throw e instanceof StateUnavailableException ? e : new StateUnavailableException(e);
        }
    }

    private void markDeadAgain(String id) {
        try {
            store.markDead(id).await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.warnf("Task %s stays dead but its state could not be restored: %s", id, e.toString());
        }
    }

    private void forgetQuietly(String id) {
        try {
            store.forget(id).await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.warnf("Discarded dead letter %s; its state will expire by retention: %s", id, e.toString());
        }
    }

    private static AMQP.BasicProperties replayProperties(GetResponse message) {
        Map<String, Object> headers = new HashMap<>(headers(message));
        headers.keySet().removeAll(STORY_HEADERS);
        headers.put(Headers.ATTEMPT, 1);
        headers.put(Headers.ENQUEUED_AT, System.currentTimeMillis());
        return message.getProps().builder().headers(headers).build();
    }

    private static boolean matches(GetResponse message, String type) {
        return type == null || type.equals(typeOf(message));
    }

    private static String typeOf(GetResponse message) {
        Map<String, Object> headers = headers(message);
        String type = text(headers.get(Headers.TASK_TYPE));
        if (type == null) {
            type = text(headers.get(Headers.ORIGINAL_ROUTING_KEY));
        }
        return type == null ? message.getEnvelope().getRoutingKey() : type;
    }

    private static Map<String, Object> headers(GetResponse message) {
        Map<String, Object> headers = message.getProps().getHeaders();
        return headers == null ? Map.of() : headers;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static TaskEnvelope envelope(byte[] body) {
        try {
            return Json.mapper().readValue(body, TaskEnvelope.class);
        } catch (IOException e) {
            return null;
        }
    }
}
