package io.conveyor.gateway;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.testsupport.EventSubscriber;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A cancel that moves a task publishes one CANCELLED event on conveyor.events; a refused cancel publishes none. */
@QuarkusTest
class CancelEventTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    static EventSubscriber events;

    @BeforeAll
    static void subscribe() {
        events = new EventSubscriber(services.broker(), "#.CANCELLED");
    }

    @AfterAll
    static void unsubscribe() {
        events.close();
    }

    @Test
    void aCancelPublishesOneCancelledEvent() {
        String id = submit();
        Instant before = Instant.now();

        given().when().delete("/api/v1/tasks/" + id).then().statusCode(200);
        EventSubscriber.Received event = events.await(id, "CANCELLED", WAIT);

        assertEquals("noop.CANCELLED", event.routingKey());
        assertEquals("noop", event.body().get("type").asText());
        assertEquals(0, event.body().get("attempt").asInt());
        Instant at = Instant.parse(event.body().get("at").asText());
        assertFalse(at.isBefore(before.minusSeconds(1)), "at " + at + ", cancelled " + before);
        assertFalse(event.body().has("error"));
        assertNotNull(event.body().get("id").asText());
        assertEquals("application/json", event.properties().getContentType());

        // Cancelled already: 409, and no second event. Events leave one gateway in order, so once the next task's
        // event arrived, a second one of this task would have arrived before it.
        given().when().delete("/api/v1/tasks/" + id).then().statusCode(409);
        String next = submit();
        given().when().delete("/api/v1/tasks/" + next).then().statusCode(200);
        events.await(next, "CANCELLED", WAIT);
        assertEquals(1, events.of(id).size(), "events: " + events.of(id));
    }

    private static String submit() {
        String id = Submissions.accepted("{\"type\":\"noop\"}");
        assertNotNull(id);
        return services.track(id);
    }
}
