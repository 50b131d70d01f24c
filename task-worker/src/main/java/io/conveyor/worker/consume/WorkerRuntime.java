package io.conveyor.worker.consume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.conveyor.amqp.BrokerConnector;
import io.conveyor.amqp.TopologyDeclarer;
import io.conveyor.worker.config.ThreadKind;
import io.conveyor.worker.config.WorkerConfig;
import io.conveyor.worker.config.WorkerIdentity;
import io.conveyor.worker.route.HandlerRegistry;
import io.conveyor.worker.webhook.WebhookEnqueuer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * The worker's life: connect (waiting out a broker outage), declare the topology, open one consumer per consumed
 * type with its prefetch, run at most {@code concurrency} deliveries at once, each on a virtual or a platform thread
 * as its route says ({@link TaskThreads}), and on shutdown stop consuming, drain in-flight handlers within the drain
 * timeout and return the rest to the broker. An operator may pause a type: its consumer is cancelled until it is
 * resumed ({@link Consumers}), by a message on the control exchange or, should this worker miss it, by the paused set
 * in Redis, which it reads when it connects and again at every heartbeat ({@link #reconcile()}).
 */
@Startup
@ApplicationScoped
public class WorkerRuntime {

    private static final Logger LOG = Logger.getLogger(WorkerRuntime.class);

    private final WorkerConfig config;
    private final HandlerRegistry registry;
    private final TaskProcessor processor;
    private final Outcomes outcomes;
    private final BrokerConnector connector;
    private final TaskThreads threads;
    private final PausedSet pausedSet;
    /** Publishes webhook jobs and consumes them (README, "Webhooks"). */
    private final WebhookEnqueuer webhooks;
    /** Sends the acks of successes, which arrive in batches with their state writes' answers. */
    private final ExecutorService ackThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "conveyor-acks");
        t.setDaemon(true);
        return t;
    });

    private final Consumers consumers;
    /** Completes once the consumers are first started: heartbeats begin then. */
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    private volatile boolean consuming;
    /** Set by the first drain: a second one (a repeated shutdown) has nothing left to do. */
    private final AtomicBoolean drained = new AtomicBoolean();
    /** Set once a drain starts no more tasks: the readiness check says so. */
    private volatile boolean draining;

    private final int prefetch;

    public WorkerRuntime(
            WorkerConfig config,
            HandlerRegistry registry,
            TaskProcessor processor,
            Outcomes outcomes,
            PausedSet pausedSet,
            WorkerIdentity identity,
            WebhookEnqueuer webhooks) {
        this.config = config;
        this.webhooks = webhooks;
        this.registry = registry;
        this.processor = processor;
        this.outcomes = outcomes;
        this.pausedSet = pausedSet;
        // Both are range-checked by WorkerConfig's constraints at startup.
        int concurrency = config.worker().concurrency();
        this.prefetch = config.worker()
                .prefetch()
                .orElse(Math.min(65_535, concurrency * WorkerConfig.Worker.PREFETCH_PER_THREAD));
        this.threads = new TaskThreads(concurrency);
        this.consumers = new Consumers(
                registry.routes().stream().map(r -> r.type().name()).toList(),
                config.worker().heartbeatInterval(),
                (route, acks, envelope, props, body) ->
                        threads.execute(route.threads(), () -> processor.process(acks, envelope, props, body)));
        this.connector = new BrokerConnector(config.broker().settings("conveyor-task-worker " + identity.name()));
        // Resolving the routes first makes a handler or configuration mistake stop the startup, not loop the connect.
        Map<ThreadKind, List<String>> byThreads = registry.routes().stream()
                .collect(Collectors.groupingBy(
                        HandlerRegistry.Route::threads,
                        Collectors.mapping(r -> r.type().name(), Collectors.toList())));
        LOG.infof(
                "Worker %s consumes %s with concurrency %d, prefetch %d; on virtual threads: %s, on platform threads: %s",
                identity.name(),
                registry.routes().stream().map(r -> r.type().name()).toList(),
                concurrency,
                prefetch,
                byThreads.getOrDefault(ThreadKind.VIRTUAL, List.of()),
                byThreads.getOrDefault(ThreadKind.PLATFORM, List.of()));
        connector.start(this::onConnect);
    }

    private void onConnect(Connection connection) {
        try {
            try (Channel admin = connection.createChannel()) {
                TopologyDeclarer.declare(
                        admin, registry.allTypes(), config.broker().quorumReplicas());
            }
            outcomes.publisher().open(connection);
            webhooks.open(connection);
            // Listening before reading the paused set: a pause published after the read is not missed.
            ControlQueue.listen(connection.createChannel(), consumers::control);
            pauseAsTheSetSays();
            consumers.open(connection, registry.routes(), prefetch, ackThread);
            consuming = true;
            started.complete(null);
        } catch (IOException | TimeoutException e) {
            consumers.close();
            throw new UncheckedIOException(new IOException("Starting consumers failed", e));
        } catch (RuntimeException e) {
            // The connector retries on a new connection: these channels would stay behind on the old one.
            consumers.close();
            throw e;
        }
    }

    /** Before the consumers start; when Redis does not answer, all start and the heartbeat's reconcile pauses later. */
    private void pauseAsTheSetSays() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Could not read the paused task types from Redis (%s); consuming every type until it answers",
                    e.toString());
        }
    }

    /**
     * Pauses and resumes consumers to match the paused set in Redis, which makes up for a control message this worker
     * missed (it was disconnected, or a message was lost). Throws when Redis does not answer.
     */
    public void reconcile() {
        long readAt = System.nanoTime();
        consumers.reconcile(pausedSet.read(), readAt);
    }

    /** Completes once this worker first connected and started its consumers. */
    public CompletionStage<Void> started() {
        return started.minimalCompletionStage();
    }

    /** The task types this worker consumes, paused or not, sorted. */
    public List<String> consumedTypes() {
        return registry.routes().stream().map(r -> r.type().name()).sorted().toList();
    }

    /** The consumed types an operator paused, sorted. */
    public List<String> pausedTypes() {
        return consumers.paused();
    }

    /** Connected and consuming every configured type that is not paused; a paused type's channel stays open. */
    public boolean ready() {
        return consuming && connector.isOpen() && consumers.channelsOpen();
    }

    public String state() {
        if (draining) {
            return "shutting down: finishing the tasks in flight, starting no others";
        }
        if (!connector.isOpen()) {
            return "not connected to RabbitMQ at " + connector.settings().where();
        }
        if (!consuming) {
            return "connected, consumers not started";
        }
        List<String> paused = consumers.paused();
        return paused.isEmpty() ? "consuming" : "consuming; paused: " + String.join(", ", paused);
    }

    /**
     * Deliveries this worker holds unsettled: waiting for a handler thread, in the pipeline, or finished and waiting
     * for their ack. At most the prefetch per consumed type. Not the handlers running: see
     * {@link HandlerTimeouts#running()}.
     */
    public int unsettled() {
        return consumers.unsettled();
    }

    void drain(@Observes ShutdownEvent event) {
        if (!drained.compareAndSet(false, true)) {
            return;
        }
        consuming = false;
        // Whatever consumes now, paused types excepted; none starts again after this.
        consumers.cancelAll();
        // Deliveries not yet started are not drained: they stay unacknowledged and go back when the channels close.
        int notStarted = threads.stop();
        draining = true;
        if (notStarted > 0) {
            LOG.infof("Returning %d prefetched task(s) that had not started", notStarted);
        }
        long timeout = config.worker().drainTimeout().toMillis();
        LOG.infof("Draining %d in-flight task(s), waiting up to %d ms", threads.active(), timeout);
        try {
            if (!threads.awaitIdle(config.worker().drainTimeout())) {
                LOG.warnf(
                        "Drain timeout passed with %d task(s) in flight; returning them to the broker",
                        threads.active());
                processor.abandonInFlight();
            }
            // Finished tasks are acknowledged once their state write is answered (or given up, within the write
            // timeout): wait for those acks, or those tasks would run again.
            Duration settleTimeout = config.worker().settleTimeout();
            if (!processor.awaitSettled(settleTimeout)) {
                LOG.warnf("Some finished tasks were not acknowledged within %s; they will run again", settleTimeout);
            }
            // Their last acks may still wait on the ack thread: it sends them before the channels close.
            ackThread.shutdown();
            if (!ackThread.awaitTermination(settleTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The last acks were not sent in time; those tasks will run again");
            }
        } catch (InterruptedException e) {
            processor.abandonInFlight();
            Thread.currentThread().interrupt();
        }
        // Closing the channels returns every unacknowledged message to its queue.
        consumers.close();
        threads.shutdownNow();
        ackThread.shutdown();
        connector.close();
    }

    static void closeQuietly(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debugf("Closing a channel: %s", e);
        }
    }
}
