package io.conveyor.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskStatus;
import io.conveyor.model.event.EventMessages;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.events.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events that cannot reach the broker never hold tasks up: they wait in a bounded buffer, and past it they are
 * dropped and counted, at once.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@TestProfile(EventsWithoutBrokerTest.EventsNowhere.class)
class EventsWithoutBrokerTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    /** The events' channel (only) points at a port where no broker listens. */
    public static class EventsNowhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.outgoing.outcome-events.port", "1");
        }
    }

    @Inject
    OutcomeRecorder outcomes;

    @Inject
    EventPublisher publisher;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void forgetState() {
        services.track(outcomes.taskIds());
    }

    @Test
    void tasksRunAndEventsBeyondTheBufferAreDroppedAtOnce() {
        String id = aTask().ofType("noop").publishTo(services.broker());
        outcomes.await(id, TaskStatus.SUCCEEDED, Duration.ofSeconds(20));

        int events = 5_000;
        long started = System.nanoTime();
        for (int i = 0; i < events; i++) {
            publisher.publish(
                    EventMessages.event("t" + i, "noop", TaskStatus.SUCCEEDED, 1, Instant.now(), null, null, null));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "publishing took " + took);
        // At most the emitter's buffer and the connector's in-flight limit (1024 each) wait; the rest is dropped.
        double dropped = registry.get("conveyor.events.dropped")
                .tag("reason", "buffer-full")
                .counter()
                .count();
        assertTrue(dropped >= events - 2 * 1024, "dropped " + dropped);
        assertEquals(0.0, registry.get("conveyor.events.published").counter().count());
    }
}
