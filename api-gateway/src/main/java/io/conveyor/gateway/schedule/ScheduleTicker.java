package io.conveyor.gateway.schedule;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.conveyor.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Every gateway runs this: it polls for due schedules every {@code conveyor.schedules.poll} ({@code
 * CONVEYOR_SCHEDULES_POLL}) and fires them ({@link ScheduleFiring}). Replicas compete for ticks through Redis alone,
 * so any one of them may fire any tick and none is special. A poll starts after the previous one settled; a failed
 * one (Redis down) is logged at most once a minute.
 */
@ApplicationScoped
public class ScheduleTicker {

    private static final Logger LOG = Logger.getLogger(ScheduleTicker.class);
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

    private final ScheduleFiring firing;
    private final Vertx vertx;
    private final GatewayConfig.Schedules config;
    private volatile boolean running;
    private volatile long timer = -1;
    private long lastWarning;

    public ScheduleTicker(ScheduleFiring firing, Vertx vertx, GatewayConfig config) {
        this.firing = firing;
        this.vertx = vertx;
        this.config = config.schedules();
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Schedules: this gateway does not fire them (conveyor.schedules.enabled=false)");
            return;
        }
        running = true;
        next();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void next() {
        if (running) {
            timer = vertx.setTimer(config.poll().toMillis(), id -> poll());
        }
    }

    private void poll() {
        if (!running) {
            return;
        }
        firing.poll().subscribe().with(fired -> next(), failure -> {
            long now = System.nanoTime();
            if (lastWarning == 0 || now - lastWarning > WARNING_INTERVAL.toNanos()) {
                lastWarning = now;
                LOG.warnf("Schedules: could not poll for due ticks (at most one warning a minute): %s", failure);
            }
            next();
        });
    }
}
