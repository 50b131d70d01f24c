package io.conveyor.gateway.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.metrics.GatewayMetrics;
import io.conveyor.gateway.publish.TaskPublisher;
import io.conveyor.gateway.publish.TaskSubmission;
import io.conveyor.gateway.publish.ValidatedTask;
import io.conveyor.gateway.state.TaskStore;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.smallrye.mutiny.Uni;

/**
 * One poll of the schedules, as every gateway runs it ({@link ScheduleTicker}): claim the due ticks (claim.lua, on
 * Redis's clock, each with a lease), fire each through the normal publish path with the task id its first claim
 * fixed, then advance the schedule (a compare-and-set on the tick). No state of this gateway decides a tick:
 *
 * <ul>
 *   <li>a tick is fired by the one gateway holding its lease; if that gateway dies before advancing, the lease ends,
 *       another claims the same tick and fires the same task id: {@code create.lua} leaves the existing record as it
 *       is, and when that record shows the task was delivered already (no longer QUEUED), nothing is published again;
 *   <li>a tick that cannot be fired (the broker refuses or is down, the queue is full, the type is no longer in the
 *       catalogue or the task no longer valid) is logged, counted ({@code conveyor_schedule_failed_total}) and tried
 *       again after a growing delay, as the same task;
 *   <li>a tick first claimed later than the grace after its time was missed: the policy {@code skip} advances to the
 *       next future tick without a task, {@code once} fires this one task for every missed tick, then does the same.
 * </ul>
 */
@ApplicationScoped
public class ScheduleFiring {

    private static final Logger LOG = Logger.getLogger(ScheduleFiring.class);

    /** What became of one claimed tick. */
    public enum Fired {
        FIRED,
        /** Fired before by a gateway that died before advancing; the task was delivered already, so not again. */
        ALREADY_DELIVERED,
        SKIPPED,
        FAILED,
        /** Another gateway or an edit moved the schedule on meanwhile. */
        MOVED
    }

    private final ScheduleStore store;
    private final TaskSubmission submission;
    private final TaskStore tasks;
    private final TaskCheck check;
    private final GatewayMetrics metrics;
    private final GatewayConfig.Schedules config;

    public ScheduleFiring(
            ScheduleStore store,
            TaskSubmission submission,
            TaskStore tasks,
            TaskCheck check,
            GatewayMetrics metrics,
            GatewayConfig config) {
        this.store = store;
        this.submission = submission;
        this.tasks = tasks;
        this.check = check;
        this.metrics = metrics;
        this.config = config.schedules();
    }

    /** Claims the due ticks and fires them; completes when every claimed tick is settled. Never fails for a tick. */
    public Uni<List<Fired>> poll() {
        int limit = config.claimLimit();
        List<String> ids = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) {
            ids.add(TaskPublisher.newId());
        }
        return store.claim(limit, config.lease(), config.grace(), ids).flatMap(claimed -> {
            if (claimed.claims().isEmpty()) {
                return Uni.createFrom().item(List.<Fired>of());
            }
            List<Uni<Fired>> fires = claimed.claims().stream()
                    .map(claim -> fire(claim, claimed.now()))
                    .toList();
            return Uni.join().all(fires).andCollectFailures();
        });
    }

    private Uni<Fired> fire(ScheduleClaim claim, Instant now) {
        Cron cron;
        try {
            if (claim.definition() == null) {
                throw new IllegalStateException("its stored definition does not read");
            }
            cron = claim.definition().parsedCron();
        } catch (RuntimeException e) {
            return failed(claim, "invalid", e);
        }
        Instant next = claim.missed()
                ? cron.nextAfter(claim.tick(), now, claim.definition().zoneId())
                : cron.next(claim.tick(), claim.definition().zoneId());
        if (claim.missed() && claim.definition().missed() == Missed.SKIP) {
            LOG.infof(
                    "Schedule %s missed its tick of %s (and any after it until now): skipped, next at %s",
                    claim.name(), claim.tick(), next);
            metrics.scheduleSkipped(claim.name());
            return advance(claim, next, null, Fired.SKIPPED);
        }
        ValidatedTask task;
        try {
            task = check.check(claim.definition().task()).ownedBy(claim.client());
        } catch (RuntimeException e) {
            return failed(claim, "invalid", e);
        }
        TaskEnvelope envelope = TaskPublisher.envelope(task, claim.taskId(), claim.name());
        Uni<Boolean> delivered = claim.attempt() == 1
                ? Uni.createFrom().item(false)
                : tasks.get(claim.taskId()).map(view -> view != null && view.status() != TaskStatus.QUEUED);
        return delivered
                .flatMap(done -> done
                        ? Uni.createFrom().item(Fired.ALREADY_DELIVERED)
                        : submission.submit(envelope, task).map(accepted -> {
                            metrics.scheduleFired(claim.name());
                            if (claim.missed()) {
                                LOG.infof(
                                        "Schedule %s missed its tick of %s: fired once as task %s, next at %s",
                                        claim.name(), claim.tick(), claim.taskId(), next);
                            }
                            return Fired.FIRED;
                        }))
                .onFailure()
                .recoverWithUni(e -> failed(claim, GatewayMetrics.reason(e), e).replaceWithNull())
                .flatMap(fired -> fired == null
                        ? Uni.createFrom().item(Fired.FAILED)
                        : advance(claim, next, claim.taskId(), fired)
                                .onFailure()
                                .recoverWithItem(e -> {
                                    // Fired, but still at this tick: after the lease it is claimed again and, its
                                    // task being the same, not fired twice once delivered.
                                    LOG.warnf(
                                            "Schedule %s fired task %s for its tick of %s but could not move on: %s",
                                            claim.name(), claim.taskId(), claim.tick(), e.toString());
                                    return fired;
                                }));
    }

    private Uni<Fired> advance(ScheduleClaim claim, Instant next, String taskId, Fired outcome) {
        return store.advance(claim.name(), claim.tick(), next, taskId).map(moved -> moved ? outcome : Fired.MOVED);
    }

    /** Logs and counts a tick that could not be fired, and tries it again after a delay that grows with attempts. */
    private Uni<Fired> failed(ScheduleClaim claim, String reason, Throwable e) {
        Duration delay = retryDelay(claim.attempt());
        LOG.warnf(
                "Schedule %s could not fire its tick of %s (attempt %d, %s: %s); trying again in %s",
                claim.name(), claim.tick(), claim.attempt(), reason, e.getMessage(), delay);
        metrics.scheduleFailed(claim.name(), reason);
        return store.retry(claim.name(), claim.tick(), delay)
                .onFailure()
                .recoverWithItem(false) // the lease ends anyway, and the tick is claimed again then
                .replaceWith(Fired.FAILED);
    }

    private Duration retryDelay(int attempt) {
        Duration delay = config.retryBase().multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(config.lease()) > 0 ? config.lease() : delay;
    }
}
