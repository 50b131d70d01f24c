package io.conveyor.worker.limit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.Topology;
import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;
import io.conveyor.worker.config.WorkerConfig;
import io.conveyor.worker.config.WorkerIdentity;
import io.conveyor.worker.route.HandlerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Per-type limits that hold across all workers: a rate ({@code conveyor.worker.rate.<type>}, a token bucket in Redis
 * at {@link #rateKey}) and a most-running count ({@code conveyor.worker.max-running.<type>}, a set of leases at
 * {@link #runningKey}), both taken in one script call (acquire.lua) before an attempt records RUNNING. An attempt
 * over a limit is not held here and not failed: the caller sends it back through a retry tier at the same attempt,
 * and its task's view says why it waits. A slot is held until the handler ends, its lease renewed every third of
 * {@code conveyor.worker.limit.lease}, so a worker that dies frees its slots within a lease. Types without limits
 * cost nothing. Fails open: when Redis fails or does not answer within {@code conveyor.worker.limit.timeout}, the
 * attempt runs unchecked, {@code conveyor_worker_limit_unavailable_total} counts it and a warning is logged at most
 * once a minute (the worker treats Redis as best effort elsewhere too). Refusals count in
 * {@code conveyor_worker_limited_total{type,reason}}.
 */
@ApplicationScoped
public class TaskLimits {

    private static final Logger LOG = Logger.getLogger(TaskLimits.class);
    static final String ACQUIRE = load("acquire.lua");
    static final String RELEASE = load("release.lua");
    static final String RENEW = load("renew.lua");
    private static final long WARNING_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();
    /** The retry tiers in ms, as acquire.lua reads them. */
    static final String TIERS =
            Topology.RETRY_TIERS.stream().map(t -> String.valueOf(t.toMillis())).collect(Collectors.joining(","));

    private final Map<String, TypeLimit> limits;
    private final ReactiveRedisDataSource redis;
    private final MeterRegistry registry;
    private final String worker;
    private final Duration lease;
    private final Duration timeout;
    /** The members this worker holds, by type: renewed until released. */
    private final Map<String, Set<String>> held = new ConcurrentHashMap<>();

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conveyor-limit-leases");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());
    private final AtomicLong unlogged = new AtomicLong();

    public TaskLimits(
            WorkerConfig config,
            Config raw,
            TaskCatalogue catalogue,
            HandlerRegistry handlers,
            ReactiveRedisDataSource redis,
            WorkerIdentity identity,
            MeterRegistry registry) {
        this.limits = LimitSettings.read(
                config.worker().rate(),
                config.worker().maxRunning(),
                name -> raw.getOptionalValue(name, String.class),
                // A misspelt variable is an environment variable: SmallRye's names may not be iterated twice.
                System.getenv().keySet(),
                catalogue.names(),
                handlers.routes().stream().map(r -> r.type().name()).toList());
        this.redis = redis;
        this.registry = registry;
        this.worker = identity.name();
        this.lease = config.worker().limit().lease();
        this.timeout = config.worker().limit().timeout();
        if (limits.values().stream().anyMatch(l -> l.maxRunning() > 0)) {
            long every = Math.max(1, lease.toMillis() / 3);
            renewals.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Builds the limits at startup, so a broken setting stops the worker before it consumes anything. */
    void check(@Observes @Priority(2) StartupEvent event) {
        if (!limits.isEmpty()) {
            LOG.infof("Limits across all workers: %s", limits.values());
        }
    }

    /** The Redis key of a type's token bucket. */
    public static String rateKey(String type) {
        return StateKeys.PREFIX + "limit:rate:" + type;
    }

    /** The Redis key of a type's running set: members {@code <worker>:<task id>:<attempt>} scored by lease expiry. */
    public static String runningKey(String type) {
        return StateKeys.PREFIX + "limit:running:" + type;
    }

    /** The limited types and their limits. */
    public Map<String, TypeLimit> limits() {
        return limits;
    }

    /**
     * Whether an attempt may run now: {@link Permit#UNLIMITED} at once for a type without limits; else one Redis
     * call that takes a token and a slot, or neither. Close the permit when the handler ends.
     */
    public Permit admit(String taskId, String type, int attempt) {
        TypeLimit limit = limits.get(type);
        if (limit == null) {
            return Permit.UNLIMITED;
        }
        String member = limit.maxRunning() > 0 ? worker + ":" + taskId + ":" + attempt : "";
        TaskRate rate = limit.rate();
        String[] evalsha = Scripts.evalsha(
                ACQUIRE,
                List.of(StateKeys.task(taskId), rateKey(type), runningKey(type)),
                List.of(
                        rate == null ? "0" : String.valueOf(rate.count()),
                        rate == null ? "0" : String.valueOf(rate.period().toMillis()),
                        rate == null ? "0" : String.valueOf(rate.burst()),
                        String.valueOf(limit.maxRunning()),
                        member,
                        String.valueOf(lease.toMillis()),
                        rate == null ? "" : limit.rateMessage(),
                        limit.maxRunning() > 0 ? limit.runningMessage() : "",
                        TIERS));
        Response answer;
        try {
            answer = call(ACQUIRE, evalsha);
        } catch (RuntimeException e) {
            unavailable(type, e);
            // It may have been taken all the same: releasing it at the end costs nothing if it was not.
            return new Permit(this, limit, member, null, null);
        }
        long code = answer.get(0).toLong();
        if (code == 2) {
            return Permit.UNLIMITED;
        }
        if (code == 0) {
            String reason = answer.get(1).toString();
            count("conveyor.worker.limited", type, reason);
            LOG.debugf(
                    "Task %s (%s) is over its %s limit; it waits %d ms",
                    taskId, type, reason, answer.get(2).toLong());
            return new Permit(
                    this, limit, member, Duration.ofMillis(answer.get(2).toLong()), reason);
        }
        if (!member.isEmpty()) {
            held.computeIfAbsent(type, t -> ConcurrentHashMap.newKeySet()).add(member);
        }
        return new Permit(this, limit, member, null, null);
    }

    /** Frees a slot, and gives its token back if the attempt never ran; asynchronous, best effort. */
    void release(TypeLimit limit, String member, boolean unused) {
        boolean refund = unused && limit.rate() != null;
        if (member.isEmpty() && !refund) {
            return;
        }
        if (!member.isEmpty()) {
            Set<String> members = held.get(limit.type());
            if (members != null) {
                members.remove(member);
            }
        }
        String[] evalsha = Scripts.evalsha(
                RELEASE,
                List.of(runningKey(limit.type()), rateKey(limit.type())),
                List.of(
                        member,
                        refund ? "1" : "0",
                        limit.rate() == null ? "0" : String.valueOf(limit.rate().burst())));
        send(RELEASE, evalsha)
                .ifNoItem()
                .after(timeout)
                .fail()
                .subscribe()
                .with(
                        done -> {},
                        failure -> LOG.debugf(
                                "Could not free %s's slot %s (%s); it expires within %s",
                                limit.type(), member, failure, lease));
    }

    /** Extends the leases of every attempt still running here; a failure only waits for the next round. */
    private void renew() {
        for (Map.Entry<String, Set<String>> entry : held.entrySet()) {
            List<String> members = new ArrayList<>(entry.getValue());
            if (members.isEmpty()) {
                continue;
            }
            List<String> args = new ArrayList<>(members.size() + 1);
            args.add(String.valueOf(lease.toMillis()));
            args.addAll(members);
            try {
                call(RENEW, Scripts.evalsha(RENEW, List.of(runningKey(entry.getKey())), args));
            } catch (RuntimeException e) {
                unavailable(entry.getKey(), e);
            }
        }
    }

    private Response call(String script, String[] evalsha) {
        return send(script, evalsha).await().atMost(timeout);
    }

    private Uni<Response> send(String script, String[] evalsha) {
        return redis.execute("EVALSHA", evalsha)
                .onFailure(Scripts::isNoScript)
                .recoverWithUni(() -> redis.execute("EVAL", Scripts.eval(script, evalsha)));
    }

    /** Counts a check or renewal Redis did not answer; warns at most once a minute. */
    private void unavailable(String type, RuntimeException failure) {
        count("conveyor.worker.limit.unavailable", type, null);
        long now = System.nanoTime();
        long due = nextWarning.get();
        if (now - due < 0 || !nextWarning.compareAndSet(due, now + WARNING_INTERVAL_NANOS)) {
            unlogged.incrementAndGet();
            return;
        }
        long before = unlogged.getAndSet(0);
        LOG.warnf(
                "Task limits are not enforced: Redis did not answer in time or failed (%s: %s). Limited types run "
                        + "unchecked until it answers again.%s",
                failure.getClass().getSimpleName(),
                failure.getMessage(),
                before == 0 ? "" : " " + before + " more such failures since the last warning.");
    }

    private void count(String name, String type, String reason) {
        counters.computeIfAbsent(name + ":" + type + ":" + reason, k -> {
                    Counter.Builder counter = Counter.builder(name)
                            .description(
                                    reason == null
                                            ? "Limit checks let through unchecked: Redis failed or was too slow"
                                            : "Attempts sent back to wait by a limit of their type")
                            .tag("type", type);
                    return (reason == null ? counter : counter.tag("reason", reason)).register(registry);
                })
                .increment();
    }

    @PreDestroy
    void close() {
        renewals.shutdownNow();
    }

    private static String load(String name) {
        try (InputStream in = TaskLimits.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing Lua script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
