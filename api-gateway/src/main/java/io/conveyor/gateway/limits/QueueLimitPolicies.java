package io.conveyor.gateway.limits;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.config.QueueMaxLengths;
import io.conveyor.model.Topology;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Bounds every task queue with its {@link LimitPolicy}, set through RabbitMQ's management API when the gateway
 * starts, on a thread of its own: startup and readiness never wait for it. While the API cannot be reached or
 * refuses, it warns once and retries with backoff. {@code conveyor_queue_limits_applied} is 1 once every task queue
 * is bounded, by its policy or by an operator's policy that overrules it with a limit of its own.
 */
@ApplicationScoped
public class QueueLimitPolicies {

    private static final Logger LOG = Logger.getLogger(QueueLimitPolicies.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    private final ManagementApi api;
    private final List<LimitPolicy> policies;
    private final long defaultMaxLength;
    private final Duration retryCap;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean applied = new AtomicBoolean();
    /** Failed attempts so far; touched only on the executor's one thread. */
    private int failures;

    public QueueLimitPolicies(GatewayConfig config, QueueMaxLengths maxLengths, MeterRegistry registry) {
        GatewayConfig.QueueLimits limits = config.queueLimits();
        this.api = ManagementApi.of(config);
        this.policies = maxLengths.all().entrySet().stream()
                .map(e -> new LimitPolicy(e.getKey(), e.getValue(), limits.policyPriority()))
                .toList();
        this.defaultMaxLength = limits.maxLength();
        this.retryCap = limits.retryCap();
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "conveyor-queue-limits");
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("conveyor.queue.limits.applied", applied, a -> a.get() ? 1 : 0)
                .description("1 once every task queue is bounded by a length-limit policy, else 0")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        executor.execute(() -> attempt(FIRST_RETRY));
    }

    private void attempt(Duration nextPause) {
        try {
            apply();
        } catch (IOException | RuntimeException e) {
            retry(e instanceof IOException ? e.getMessage() : e.toString(), nextPause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void apply() throws IOException, InterruptedException {
        JsonNode existing = api.policies();
        for (LimitPolicy policy : policies) {
            boolean set = false;
            for (JsonNode other : existing) {
                set |= policy.isSetAs(other);
            }
            if (!set) {
                api.put(policy);
            }
        }
        PolicyPrecedence.Report report = PolicyPrecedence.check(policies, existing);
        report.notes().forEach(LOG::info);
        report.warnings().forEach(LOG::warn);
        applied.set(report.unbounded().isEmpty());
        LOG.infof(
                "Task queue limits set as RabbitMQ policies (%s*, overflow reject-publish) through %s%s: %s",
                Topology.LIMIT_POLICY_PREFIX,
                api.where(),
                failures > 0 ? " after " + failures + " failed attempts" : "",
                summary());
    }

    private void retry(String why, Duration pause) {
        failures++;
        if (failures == 1) {
            LOG.warnf(
                    "Could not set the task queue limits through RabbitMQ's management API at %s; they are not "
                            + "applied until this succeeds, retried in the background at most %d s apart. %s",
                    api.where(), retryCap.toSeconds(), why);
        } else {
            LOG.debugf("Setting the task queue limits failed again (attempt %d): %s", failures, why);
        }
        Duration next = pause.multipliedBy(2).compareTo(retryCap) > 0 ? retryCap : pause.multipliedBy(2);
        if (!executor.isShutdown()) {
            executor.schedule(() -> attempt(next), pause.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** {@code max-length 1000000, send_email 10000}: the default, then each type that differs. */
    private String summary() {
        String overrides = policies.stream()
                .filter(p -> p.maxLength() != defaultMaxLength)
                .map(p -> p.type() + " " + p.maxLength())
                .collect(Collectors.joining(", "));
        return "max-length " + defaultMaxLength + (overrides.isEmpty() ? "" : ", " + overrides);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
