package io.conveyor.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.conveyor.model.Json;
import io.conveyor.model.TaskStatus;
import io.conveyor.testsupport.EventSubscriber;
import io.conveyor.testsupport.LocalManagement;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task's outcome reaches a subscriber of conveyor.events by its routing key, type.status: a success, a death;
 * with transitions off (the default), neither RUNNING nor RETRY_SCHEDULED.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class OutcomeEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    static EventSubscriber events;

    @Inject
    OutcomeRecorder outcomes;

    @BeforeAll
    static void subscribe() {
        events = new EventSubscriber(services.broker(), "noop.SUCCEEDED", "#.DEAD", "#.RUNNING", "#.RETRY_SCHEDULED");
    }

    @AfterAll
    static void unsubscribe() {
        events.close();
    }

    @AfterEach
    void forgetState() {
        services.track(outcomes.taskIds());
    }

    @Test
    void aSuccessIsPublishedAsTypeDotSucceeded() throws Exception {
        var task = aTask().ofType("noop");
        ObjectNode body = (ObjectNode) Json.mapper().readTree(task.body());
        body.put("schedule", "nightly-digest");
        Instant before = Instant.now();
        String id = task.publishTo(services.broker(), Json.mapper().writeValueAsBytes(body));

        EventSubscriber.Received event = events.await(id, "SUCCEEDED", WAIT);

        assertEquals("noop.SUCCEEDED", event.routingKey());
        assertEquals("noop", event.body().get("type").asText());
        assertEquals(1, event.body().get("attempt").asInt());
        assertEquals("nightly-digest", event.body().get("schedule").asText());
        Instant at = Instant.parse(event.body().get("at").asText());
        assertFalse(at.isBefore(before.minusSeconds(1)), "at " + at + ", published " + before);
        assertFalse(event.body().has("error"));
        assertFalse(event.body().has("batch"));
        String eventId = event.body().get("id").asText();
        assertEquals(eventId, UUID.fromString(eventId).toString());
        assertEquals(eventId, event.properties().getMessageId());
        assertEquals("application/json", event.properties().getContentType());
        assertEquals(2, event.properties().getDeliveryMode());
    }

    @Test
    void aDeathIsPublishedWithItsError() {
        String id = aTask().ofType("fail")
                .withPayload("{\"times\":10}")
                .withMaxAttempts(2)
                .publishTo(services.broker());

        EventSubscriber.Received event = events.await(id, "DEAD", WAIT);

        assertEquals("fail.DEAD", event.routingKey());
        assertEquals(2, event.body().get("attempt").asInt());
        assertEquals(
                "java.lang.IllegalStateException",
                event.body().get("error").get("errorClass").asText());
        assertTrue(
                event.body().get("error").get("message").asText().length() > 0,
                event.body().toString());
        assertFalse(event.body().get("error").has("stack"));
        // Transitions are off: the failed first attempt and both starts published nothing.
        outcomes.await(id, TaskStatus.DEAD, WAIT);
        assertEquals(1, events.of(id).size(), "events: " + events.of(id));
    }

    @Test
    void publishesNoTransitionsByDefault() {
        String id = aTask().ofType("noop").publishTo(services.broker());

        events.await(id, "SUCCEEDED", WAIT);

        // Events of one worker go out on one channel in order: a RUNNING event would have arrived first.
        assertEquals(1, events.of(id).size(), "events: " + events.of(id));
    }

    @Test
    void reconnectsWhenTheBrokerClosesTheEventsConnection() {
        events.await(aTask().ofType("noop").publishTo(services.broker()), "SUCCEEDED", WAIT);
        LocalManagement management = LocalManagement.require();

        // The management API lists a new connection with its next statistics, within seconds.
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> management.closeConnections("conveyor-task-worker events") > 0);

        // The client recovers the connection (every 2 s) and the events it held meanwhile go out.
        String id = aTask().ofType("noop").publishTo(services.broker());
        assertEquals("noop.SUCCEEDED", events.await(id, "SUCCEEDED", WAIT).routingKey());
    }
}
