package io.conveyor.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.testsupport.EventSubscriber;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** With CONVEYOR_EVENTS_TRANSITIONS=true every move is published: RUNNING, RETRY_SCHEDULED, then the end. */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@TestProfile(EventTransitionsTest.Transitions.class)
class EventTransitionsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    static EventSubscriber events;

    /** Every transition published. */
    public static class Transitions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.events.transitions", "true");
        }
    }

    @Inject
    OutcomeRecorder outcomes;

    @BeforeAll
    static void subscribe() {
        events = new EventSubscriber(services.broker(), "fail.*");
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
    void publishesEveryMoveOfARetriedTask() {
        String id = aTask().ofType("fail")
                .withPayload("{\"times\":1}")
                .withMaxAttempts(2)
                .publishTo(services.broker());

        events.await(id, "SUCCEEDED", WAIT);

        List<EventSubscriber.Received> history = events.of(id);
        assertEquals(
                List.of("fail.RUNNING", "fail.RETRY_SCHEDULED", "fail.RUNNING", "fail.SUCCEEDED"),
                history.stream().map(EventSubscriber.Received::routingKey).toList());
        assertEquals(
                List.of(1, 1, 2, 2),
                history.stream().map(e -> e.body().get("attempt").asInt()).toList());
        EventSubscriber.Received retry = history.get(1);
        assertEquals(
                "java.lang.IllegalStateException",
                retry.body().get("error").get("errorClass").asText());
        assertEquals(
                4,
                history.stream()
                        .map(e -> e.body().get("id").asText())
                        .distinct()
                        .count());
    }
}
